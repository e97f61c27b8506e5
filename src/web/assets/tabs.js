// @ts-check
/**
 * The tab strip: buttons with data-tab="name" show the panel #tab-name and hide the others. The
 * open tab is kept in the URL's fragment, so a reload (or a shared link) opens the same tab.
 */

/**
 * @param {HTMLElement} strip  the element holding the tab buttons
 * @param {(name: string, shown: boolean) => void} onToggle  told when a panel is shown or hidden
 */
export function createTabs(strip, onToggle) {
  const buttons = /** @type {HTMLButtonElement[]} */ ([...strip.querySelectorAll('button[data-tab]')]);
  const names = buttons.map((button) => button.dataset.tab ?? '');
  let current = '';

  /** @param {string} name */
  function show(name) {
    if (!names.includes(name) || name === current) return;
    const previous = current;
    current = name;
    buttons.forEach((button) => {
      const selected = button.dataset.tab === name;
      button.setAttribute('aria-selected', String(selected));
      button.tabIndex = selected ? 0 : -1;
    });
    for (const other of names) {
      const panel = document.getElementById(`tab-${other}`);
      if (panel) panel.hidden = other !== name;
    }
    if (previous) onToggle(previous, false);
    onToggle(name, true);
    if (window.location.hash !== `#${name}`) window.history.replaceState(null, '', `#${name}`);
  }

  /**
   * Hides a tab that has nothing to show (Workers outside a distributed run).
   * @param {string} name
   * @param {boolean} available
   */
  function setAvailable(name, available) {
    const button = buttons.find((b) => b.dataset.tab === name);
    if (!button || button.hidden === !available) return;
    button.hidden = !available;
    if (!available && current === name) show(names[0] ?? '');
  }

  strip.addEventListener('click', (event) => {
    const button = event.target instanceof Element ? event.target.closest('button[data-tab]') : null;
    if (button instanceof HTMLButtonElement) show(button.dataset.tab ?? '');
  });
  strip.addEventListener('keydown', (event) => moveWithArrows(event, buttons, show));

  const fromUrl = window.location.hash.slice(1);
  show(names.includes(fromUrl) ? fromUrl : (names[0] ?? ''));
  return { show, setAvailable, current: () => current };
}

/**
 * Left and right arrows move between tabs, the keyboard pattern of a WAI-ARIA tab list.
 * @param {KeyboardEvent} event
 * @param {HTMLButtonElement[]} buttons
 * @param {(name: string) => void} show
 */
function moveWithArrows(event, buttons, show) {
  if (event.key !== 'ArrowLeft' && event.key !== 'ArrowRight') return;
  const visible = buttons.filter((b) => !b.hidden);
  const at = visible.findIndex((b) => b === document.activeElement);
  if (at < 0) return;
  const next = visible[(at + (event.key === 'ArrowRight' ? 1 : visible.length - 1)) % visible.length];
  if (!next) return;
  event.preventDefault();
  next.focus();
  show(next.dataset.tab ?? '');
}
