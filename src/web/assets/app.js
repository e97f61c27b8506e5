// @ts-check
import { byId } from './dom.js';
import { createChartsView } from './charts-view.js';
import { createHistoryStore } from './history.js';
import { connectLive } from './live-stream.js';
import { createLogView } from './log-view.js';
import { postForm } from './post-form.js';
import { createRunControls } from './run-controls.js';
import { createDownloadsView, createRatioView, createTargetsView } from './side-panels.js';
import { createStartForm } from './start-form.js';
import { createMessageLine, createStatusBar } from './status-bar.js';
import { createTabs } from './tabs.js';
import { createExceptionsTable, createFailuresTable, createMetricsTable, createStatsTable, createWorkersTable } from './tables.js';

/**
 * The live page's entry: builds every view, then feeds them from api/live. Every URL is relative
 * (no leading slash) because the page may be served under a proxy's base path such as /brood/.
 *
 * @typedef {import('../ui-payload.js').UiUpdate} UiUpdate
 * @typedef {import('../ui-payload.js').UiConfig} UiConfig
 * @typedef {import('./post-form.js').PostAnswer} PostAnswer
 * @typedef {ReturnType<typeof createHistoryStore>} HistoryStore
 * @typedef {ReturnType<typeof createTabs>} Tabs
 */

const HISTORY_CAPS = { totalCap: 7200, endpointCap: 1200 };
const MAX_LOG_LINES = 2000;
const CONFIG_RETRY_MS = 5000;

function startPage() {
  const history = createHistoryStore(HISTORY_CAPS);
  const views = createViews(history);
  const tabs = createTabs(byId('tabs', HTMLElement), (name, shown) => {
    if (name === 'charts') views.charts.setVisible(shown);
    if (name === 'logs') views.log.setVisible(shown);
  });
  wireActions(views);
  loadConfig(views);
  connectLive('api/live', {
    onUpdate: (update) => applyUpdate(update, history, views, tabs),
    onLost: () => views.messages.connectionLost(),
  });
}

/** @param {HistoryStore} history */
function createViews(history) {
  return {
    status: createStatusBar(),
    messages: createMessageLine(byId('message', HTMLElement)),
    startForm: createStartForm(),
    controls: createRunControls(),
    targets: createTargetsView(byId('targets', HTMLElement)),
    stats: createStatsTable(byId('stats-table', HTMLTableElement)),
    failures: createFailuresTable(byId('failures-table', HTMLTableElement)),
    exceptions: createExceptionsTable(byId('exceptions-table', HTMLTableElement)),
    metrics: createMetricsTable(byId('metrics-table', HTMLTableElement)),
    workers: createWorkersTable(byId('workers-table', HTMLTableElement)),
    ratio: createRatioView(byId('ratio', HTMLElement)),
    downloads: createDownloadsView(byId('downloads', HTMLUListElement)),
    log: createLogView(byId('log', HTMLPreElement), MAX_LOG_LINES),
    charts: createChartsView(history),
    counts: { failures: byId('failures-count', HTMLElement), exceptions: byId('exceptions-count', HTMLElement) },
  };
}

/** @typedef {ReturnType<typeof createViews>} Views */

/**
 * @param {UiUpdate} update
 * @param {HistoryStore} history
 * @param {Views} views
 * @param {Tabs} tabs
 */
function applyUpdate(update, history, views, tabs) {
  history.apply(update.history, update.reset);
  views.log.apply(update.logs, update.reset);
  views.status.render(update);
  views.messages.fromServer(update.message);
  views.controls.render(update, views.startForm.form);
  views.targets(update.targets);
  views.stats.update(update.stats);
  views.failures.update(update.failures);
  views.exceptions.update(update.exceptions);
  views.metrics.update(update.metrics);
  views.workers.update(update.workers ?? []);
  tabs.setAvailable('workers', update.workers !== null);
  views.ratio(update.ratio);
  views.downloads(update.downloads, update.report);
  showCount(views.counts.failures, update.failures.length);
  showCount(views.counts.exceptions, update.exceptions.length);
  views.charts.syncEndpoints();
  views.charts.invalidate();
}

/**
 * @param {HTMLElement} badge
 * @param {number} count
 */
function showCount(badge, count) {
  const text = count > 0 ? String(count) : '';
  if (badge.textContent !== text) badge.textContent = text;
}

/** @param {Views} views */
function wireActions(views) {
  const { controls, startForm, messages, status } = views;
  const send = sender(messages);
  startForm.form.addEventListener('submit', (event) => {
    event.preventDefault();
    void send(byId('start-button', HTMLButtonElement), 'swarm', startForm.values(), 'Starting…').then((answer) => {
      if (answer.success && answer.host !== undefined) status.showHost(answer.host);
    });
  });
  controls.nodes.editForm.addEventListener('submit', (event) => {
    event.preventDefault();
    void send(controls.nodes.editButton, 'swarm', controls.editValues(), 'Target updated').then((answer) => {
      if (answer.success) controls.editSent();
    });
  });
  controls.nodes.stop.addEventListener('click', () => void send(controls.nodes.stop, 'stop', [], 'Stopping…'));
  controls.nodes.reset.addEventListener('click', () => void send(controls.nodes.reset, 'stats/reset', [], 'Statistics reset'));
  controls.nodes.newRun.addEventListener('click', () => startForm.focus());
}

/**
 * A POST from a button: the button is disabled while the request is out (no double starts) and
 * the answer lands in #message, with `done` when a successful answer carries no message.
 * @param {ReturnType<typeof createMessageLine>} messages
 */
function sender(messages) {
  /**
   * @param {HTMLButtonElement} button
   * @param {string} url
   * @param {Array<[string, string]>} fields
   * @param {string} done
   * @returns {Promise<PostAnswer>}
   */
  return async (button, url, fields, done) => {
    button.disabled = true;
    try {
      const answer = await postForm(url, fields);
      messages.fromAnswer(answer.success && answer.message === '' ? { ...answer, message: done } : answer);
      return answer;
    } finally {
      button.disabled = false;
    }
  };
}

/**
 * Prefills the start form. Retried until it works: a page opened while brood is still starting
 * (or restarting) should fill itself in without a reload.
 * @param {Views} views
 */
function loadConfig(views) {
  fetch('api/config')
    .then((response) => {
      if (!response.ok) throw new Error(`api/config answered ${response.status}`);
      return /** @type {Promise<UiConfig>} */ (response.json());
    })
    .then((config) => {
      views.status.renderConfig(config);
      views.startForm.prefill(config);
    })
    .catch((/** @type {unknown} */ error) => {
      views.messages.fromAnswer({ success: false, message: `Could not load the start settings (${error instanceof Error ? error.message : String(error)}); retrying` });
      setTimeout(() => loadConfig(views), CONFIG_RETRY_MS);
    });
}

startPage();
