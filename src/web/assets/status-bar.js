// @ts-check
import { byId, setText } from './dom.js';
import { formatDuration, formatNumber, formatPercent } from './format.js';

/**
 * The header's run summary and the #message line under it.
 *
 * @typedef {import('../ui-payload.js').UiUpdate} UiUpdate
 * @typedef {import('../ui-payload.js').UiConfig} UiConfig
 */

export function createStatusBar() {
  const nodes = {
    title: byId('title', HTMLElement),
    host: byId('header-host', HTMLElement),
    state: byId('state', HTMLElement),
    users: byId('user-count', HTMLElement),
    rps: byId('rps', HTMLElement),
    failRatio: byId('fail-ratio', HTMLElement),
    elapsed: byId('elapsed', HTMLElement),
    remaining: byId('remaining', HTMLElement),
    version: byId('version', HTMLElement),
  };

  /** @param {UiConfig} config */
  function renderConfig(config) {
    setText(nodes.title, config.title);
    setText(nodes.version, `brood ${config.version}`);
    document.title = config.title ? `${config.title} · brood` : 'brood';
    if (nodes.host.textContent === '') showHost(config.host);
  }

  /** @param {UiUpdate} update */
  function render(update) {
    const aggregated = update.stats.at(-1);
    const requests = aggregated?.num_requests ?? 0;
    setText(nodes.state, update.state);
    nodes.state.dataset.state = update.state;
    setText(nodes.users, String(update.userCount));
    nodes.users.title = update.targetUsers === null ? '' : `heading to ${update.targetUsers}`;
    setText(nodes.rps, formatNumber(aggregated?.current_rps ?? 0));
    setText(nodes.failRatio, formatPercent(requests > 0 ? (aggregated?.num_failures ?? 0) / requests : 0));
    nodes.failRatio.classList.toggle('bad', (aggregated?.num_failures ?? 0) > 0);
    setText(nodes.elapsed, formatDuration(update.elapsedSec));
    setText(nodes.remaining, update.remainingSec === null ? '—' : formatDuration(update.remainingSec));
    showHost(update.host);
  }

  /** @param {string} host  '' is the built-in demo server */
  function showHost(host) {
    setText(nodes.host, host || 'built-in demo server');
    nodes.host.title = host;
  }

  return { renderConfig, render, showHost };
}

/**
 * #message shows whichever happened last: the server's one-line message (when it changes) or the
 * answer to the user's own click. Gating on change keeps a refused "Start" visible instead of it
 * being overwritten a second later by the same server message as before.
 * @param {HTMLElement} node
 */
export function createMessageLine(node) {
  /** @type {string | null} */
  let lastServerMessage = null;

  /**
   * @param {string} text
   * @param {'info' | 'error'} kind
   */
  function show(text, kind) {
    setText(node, text);
    node.className = kind;
  }

  return {
    /** @param {string} message */
    fromServer(message) {
      if (message === lastServerMessage) return;
      lastServerMessage = message;
      show(message, 'info');
    },
    /** @param {{ success: boolean, message: string }} answer */
    fromAnswer(answer) {
      show(answer.message, answer.success ? 'info' : 'error');
    },
    connectionLost() {
      // The next update's message is shown even if unchanged, replacing this one.
      lastServerMessage = null;
      show('connection lost, retrying', 'error');
    },
  };
}
