// @ts-check
import { changeDetector, element, isSameOriginLink } from './dom.js';

/**
 * The small views that are rebuilt whole when their data changes: targets, downloads and the
 * task ratio. They hold a handful of items that change rarely, so a rebuild (gated on the JSON
 * actually changing) is simpler than diffing and costs nothing.
 *
 * @typedef {import('../ui-payload.js').UiTarget} UiTarget
 * @typedef {import('../ui-payload.js').UiDownload} UiDownload
 * @typedef {import('../ui-payload.js').UiRatio} UiRatio
 * @typedef {import('../ui-payload.js').UiClassRatio} UiClassRatio
 */

/** @param {HTMLElement} container  #targets, holding a <ul> */
export function createTargetsView(container) {
  const list = container.querySelector('ul') ?? container.appendChild(element('ul'));
  const changed = changeDetector();
  /** @param {readonly UiTarget[]} targets */
  return function render(targets) {
    if (!changed(targets)) return;
    container.hidden = targets.length === 0;
    list.replaceChildren(...targets.map(targetItem));
  };
}

/** @param {UiTarget} target */
function targetItem(target) {
  const verdict = target.passed ? 'pass' : 'fail';
  return element('li', { className: verdict }, [
    element('span', { className: 'mark', text: target.passed ? '✓' : '✗' }),
    element('span', { className: 'visually-hidden', text: target.passed ? 'passed:' : 'failed:' }),
    element('span', {}, [
      element('span', { className: 'target-label', text: target.label }),
      ' ',
      element('span', { className: 'target-actual', text: target.actual }),
    ]),
  ]);
}

/** @param {HTMLUListElement} list  #downloads */
export function createDownloadsView(list) {
  const changed = changeDetector();
  /**
   * @param {readonly UiDownload[]} downloads
   * @param {string | null} report
   */
  return function render(downloads, report) {
    if (!changed([downloads, report])) return;
    const items = downloads.filter((d) => isSameOriginLink(d.href)).map((d) => linkItem(d.label, d.href, true));
    if (report && isSameOriginLink(report)) items.push(linkItem('HTML report of the finished run', report, false));
    list.replaceChildren(...items);
  };
}

/**
 * @param {string} label
 * @param {string} href
 * @param {boolean} download  a data file to save; the report opens in a new tab instead
 */
function linkItem(label, href, download) {
  const link = element('a', { text: label });
  link.href = href;
  if (download) link.download = '';
  else {
    link.target = '_blank';
    link.rel = 'noopener';
    link.className = 'report';
  }
  return element('li', {}, [link]);
}

/** @param {HTMLElement} container  #ratio */
export function createRatioView(container) {
  const changed = changeDetector();
  /** @param {UiRatio | undefined} ratio */
  return function render(ratio) {
    if (!changed(ratio)) return;
    const perClass = ratio?.per_class ?? {};
    const total = ratio?.total ?? {};
    if (Object.keys(perClass).length === 0 && Object.keys(total).length === 0) {
      container.replaceChildren(element('p', { className: 'empty', text: 'No users are running yet.' }));
      return;
    }
    container.replaceChildren(ratioSection('Ratio per user class', perClass), ratioSection('Total ratio', total));
  };
}

/**
 * @param {string} title
 * @param {Record<string, UiClassRatio>} classes
 */
function ratioSection(title, classes) {
  return element('section', { className: 'ratio-section' }, [element('h3', { text: title }), ratioList(classes)]);
}

/**
 * Classes, their tasks and a TaskSet's own tasks, as nested lists like Locust's ratio page.
 * @param {Record<string, { ratio: number, tasks?: Record<string, { ratio: number, tasks?: unknown }> }>} entries
 * @returns {HTMLUListElement}
 */
function ratioList(entries) {
  const items = Object.entries(entries).map(([name, entry]) => {
    const children = [element('span', { className: 'ratio-pct', text: formatRatio(entry.ratio) }), element('span', { className: 'ratio-name', text: name })];
    const nested = /** @type {Record<string, { ratio: number }> | undefined} */ (entry.tasks);
    if (nested && Object.keys(nested).length > 0) children.push(ratioList(nested));
    return element('li', {}, children);
  });
  return element('ul', { className: 'ratio-list' }, items);
}

/** @param {number} fraction  Locust's ratios are fractions of 1 */
function formatRatio(fraction) {
  return Number.isFinite(fraction) ? `${(fraction * 100).toFixed(1)}%` : '';
}
