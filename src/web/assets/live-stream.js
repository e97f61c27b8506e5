// @ts-check
/**
 * The api/live Server-Sent Events stream. EventSource reconnects by itself after a dropped
 * connection (and the server then sends a full reset); it gives up only when the server answers
 * with an error or a non-stream response, and then this tries again itself, a little later.
 *
 * @typedef {import('../ui-payload.js').UiUpdate} UiUpdate
 */

const REOPEN_AFTER_MS = 3000;

/**
 * @param {string} url  relative to the page
 * @param {{ onUpdate: (update: UiUpdate) => void, onLost: () => void }} handlers
 */
export function connectLive(url, handlers) {
  /** @param {MessageEvent} event */
  const receive = (event) => {
    const update = parseUpdate(event.data);
    if (update) handlers.onUpdate(update);
  };

  function open() {
    const source = new EventSource(url);
    source.addEventListener('update', receive);
    source.addEventListener('error', () => {
      handlers.onLost();
      if (source.readyState === EventSource.CLOSED) setTimeout(open, REOPEN_AFTER_MS);
    });
  }

  open();
}

/**
 * Reads one event's data, filling in any list a server left out so every view can trust the
 * shape; anything that is not an update object is skipped rather than breaking the page.
 * @param {unknown} data
 * @returns {UiUpdate | null}
 */
function parseUpdate(data) {
  let raw;
  try {
    raw = JSON.parse(String(data));
  } catch {
    return null;
  }
  if (raw === null || typeof raw !== 'object' || typeof raw.state !== 'string') return null;
  const history = raw.history ?? {};
  return {
    ...raw,
    message: typeof raw.message === 'string' ? raw.message : '',
    remainingSec: raw.remainingSec ?? null,
    targetUsers: raw.targetUsers ?? null,
    spawnRate: raw.spawnRate ?? null,
    host: typeof raw.host === 'string' ? raw.host : '',
    stats: arrayOr(raw.stats),
    failures: arrayOr(raw.failures),
    exceptions: arrayOr(raw.exceptions),
    metrics: arrayOr(raw.metrics),
    workers: Array.isArray(raw.workers) ? raw.workers : null,
    targets: arrayOr(raw.targets),
    downloads: arrayOr(raw.downloads),
    report: typeof raw.report === 'string' ? raw.report : null,
    reset: raw.reset === true,
    history: { total: arrayOr(history.total), endpoints: history.endpoints ?? {} },
    logs: arrayOr(raw.logs),
  };
}

/** @param {unknown} value */
function arrayOr(value) {
  return Array.isArray(value) ? value : [];
}
