// @ts-check
/**
 * The Logs tab: the run's log lines in a <pre>, one text node per line so trimming the oldest is
 * a node removal rather than re-setting a 2000-line string every second. It follows the tail
 * unless the user scrolled up to read something.
 */

/**
 * @param {HTMLPreElement} pre
 * @param {number} maxLines
 */
export function createLogView(pre, maxLines) {
  let followTail = true;
  // Scrolling reads scrollHeight, which forces a layout of the whole page; only worth it when
  // the log can be seen.
  let visible = false;
  pre.addEventListener('scroll', () => {
    followTail = pre.scrollTop + pre.clientHeight >= pre.scrollHeight - 4;
  });

  /**
   * @param {readonly string[]} lines
   * @param {boolean} reset  the lines are the whole log: replace what is shown
   */
  function apply(lines, reset) {
    if (reset) pre.replaceChildren();
    if (lines.length === 0) return;
    const fresh = lines.length > maxLines ? lines.slice(-maxLines) : lines;
    const fragment = document.createDocumentFragment();
    for (const line of fresh) fragment.append(document.createTextNode(`${line}\n`));
    pre.append(fragment);
    for (let excess = pre.childNodes.length - maxLines; excess > 0; excess--) pre.firstChild?.remove();
    if (followTail && visible) scrollToEnd();
  }

  /**
   * Told when the Logs tab is shown or hidden: a hidden <pre> cannot be scrolled, so it catches
   * up with the tail when it is shown again.
   * @param {boolean} shown
   */
  function setVisible(shown) {
    visible = shown;
    if (visible && followTail) scrollToEnd();
  }

  function scrollToEnd() {
    pre.scrollTop = pre.scrollHeight;
  }

  return { apply, setVisible };
}
