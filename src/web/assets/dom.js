// @ts-check
/**
 * The few DOM helpers every view uses. Text from the server only ever enters the page through
 * textContent (here and in the views), never as HTML: endpoint names, errors and log lines are
 * written by test files and targets, so any of them may look like markup.
 */

/**
 * An element with an optional class, text and children (strings become text nodes).
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {{ className?: string, text?: string }} [props]
 * @param {Array<Node | string>} [children]
 * @returns {HTMLElementTagNameMap[K]}
 */
export function element(tag, props = {}, children = []) {
  const node = document.createElement(tag);
  if (props.className) node.className = props.className;
  if (props.text !== undefined) node.textContent = props.text;
  if (children.length > 0) node.append(...children);
  return node;
}

/**
 * Writes text only when it changed: reading is cheap, writing invalidates layout.
 * @param {Node} node
 * @param {string} text
 */
export function setText(node, text) {
  if (node.textContent !== text) node.textContent = text;
}

/**
 * An element index.html must have; a missing one is a bug in the page, so say which.
 * @template {HTMLElement} T
 * @param {string} id
 * @param {new () => T} type
 * @returns {T}
 */
export function byId(id, type) {
  const node = document.getElementById(id);
  if (!(node instanceof type)) throw new Error(`index.html has no ${type.name} #${id}`);
  return node;
}

/**
 * Answers whether a value differs from the one it saw last time, for views that are cheaper to
 * rebuild than to diff (a handful of rows that rarely change).
 * @returns {(value: unknown) => boolean}
 */
export function changeDetector() {
  /** @type {string | undefined} */
  let last;
  return (value) => {
    const json = JSON.stringify(value);
    if (json === last) return false;
    last = json;
    return true;
  };
}

/**
 * Whether a server-given link stays on this origin: hrefs are meant to be relative, and a
 * "javascript:" or foreign URL must not become a clickable link even if one slips through.
 * @param {string} href
 */
export function isSameOriginLink(href) {
  try {
    return new URL(href, document.baseURI).origin === window.location.origin;
  } catch {
    return false;
  }
}
