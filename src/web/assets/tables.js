// @ts-check
import { createKeyedTable } from './keyed-table.js';
import { formatInteger, formatNumber } from './format.js';

/**
 * The column layouts of the page's tables. Statistics keeps Locust's column names and order, so
 * the page reads like the Locust UI people already know.
 *
 * @typedef {import('../ui-payload.js').UiStatsRow} UiStatsRow
 * @typedef {import('../ui-payload.js').UiFailure} UiFailure
 * @typedef {import('../ui-payload.js').UiException} UiException
 * @typedef {import('../ui-payload.js').UiMetric} UiMetric
 * @typedef {import('../ui-payload.js').UiWorker} UiWorker
 */

/**
 * A numeric column: printed with `format`, sorted by the raw value.
 * @template Row
 * @param {string} label
 * @param {(row: Row) => number | null} value
 * @param {(value: number | null) => string} [format]
 * @returns {import('./keyed-table.js').Column<Row>}
 */
function numberColumn(label, value, format = formatNumber) {
  return { label, numeric: true, text: (row) => format(value(row)), sortValue: value };
}

/**
 * @template Row
 * @param {string} label
 * @param {(row: Row) => string} text
 * @param {boolean} [pre]
 * @returns {import('./keyed-table.js').Column<Row>}
 */
function textColumn(label, text, pre = false) {
  return { label, text, pre };
}

/** @param {HTMLTableElement} table */
export function createStatsTable(table) {
  return createKeyedTable(table, {
    columns: [
      textColumn('Type', (/** @type {UiStatsRow} */ row) => row.method),
      textColumn('Name', (row) => row.name),
      numberColumn('# Requests', (row) => row.num_requests, formatInteger),
      numberColumn('# Fails', (row) => row.num_failures, formatInteger),
      numberColumn('Median (ms)', (row) => row.median_response_time),
      numberColumn('90%ile (ms)', (row) => row.ninetieth_response_time),
      numberColumn('95%ile (ms)', (row) => row.ninety_fifth_response_time),
      numberColumn('99%ile (ms)', (row) => row.ninety_ninth_response_time),
      numberColumn('Average (ms)', (row) => row.avg_response_time),
      numberColumn('Min (ms)', (row) => row.min_response_time),
      numberColumn('Max (ms)', (row) => row.max_response_time),
      numberColumn('Average size (bytes)', (row) => row.avg_content_length, formatInteger),
      numberColumn('Current RPS', (row) => row.current_rps),
      numberColumn('Current Failures/s', (row) => row.current_fail_per_sec),
    ],
    // A NUL cannot occur in a method, so "GET" + "a b" never meets "GET a" + "b".
    keyOf: (row) => `${row.method}\u0000${row.name}`,
    onCreateRow: (tr, row) => {
      tr.dataset.name = row.name;
      tr.dataset.method = row.method;
    },
    rowClass: (row) => (row.name === 'Aggregated' && row.method === '' ? 'total' : row.num_failures > 0 ? 'failing' : ''),
    pinLast: true,
  });
}

/** @param {HTMLTableElement} table */
export function createFailuresTable(table) {
  return createKeyedTable(table, {
    columns: [
      numberColumn('# occurrences', (/** @type {UiFailure} */ row) => row.occurrences, formatInteger),
      textColumn('Method', (row) => row.method),
      textColumn('Name', (row) => row.name),
      textColumn('Message', (row) => row.error),
    ],
    keyOf: (row) => `${row.method}\u0000${row.name}\u0000${row.error}`,
  });
}

/** @param {HTMLTableElement} table */
export function createExceptionsTable(table) {
  return createKeyedTable(table, {
    columns: [
      numberColumn('Count', (/** @type {UiException} */ row) => row.count, formatInteger),
      textColumn('Message', (row) => row.msg),
      textColumn('Traceback', (row) => row.traceback, true),
      textColumn('Nodes', (row) => row.nodes),
    ],
    keyOf: (row) => `${row.msg}\u0000${row.traceback}`,
  });
}

/** @param {HTMLTableElement} table */
export function createMetricsTable(table) {
  return createKeyedTable(table, {
    columns: [
      textColumn('Name', (/** @type {UiMetric} */ row) => row.name),
      numberColumn('Count', (row) => row.count, formatInteger),
      numberColumn('Mean', (row) => row.mean),
      numberColumn('Min', (row) => row.min),
      numberColumn('p50', (row) => row.p50),
      numberColumn('p95', (row) => row.p95),
      numberColumn('p99', (row) => row.p99),
      numberColumn('Max', (row) => row.max),
    ],
    keyOf: (row) => row.name,
  });
}

/** @param {HTMLTableElement} table */
export function createWorkersTable(table) {
  return createKeyedTable(table, {
    columns: [
      textColumn('Id', (/** @type {UiWorker} */ row) => row.id),
      textColumn('Host', (row) => row.host),
      numberColumn('Users', (row) => row.users, formatInteger),
      numberColumn('CPU %', (row) => row.cpuPercent, formatInteger),
      numberColumn('Last heard (s)', (row) => row.lastHeardSec, formatInteger),
      { label: 'Lost', text: (row) => (row.lost ? 'lost' : ''), sortValue: (row) => (row.lost ? 1 : 0) },
    ],
    keyOf: (row) => row.id,
    // A worker near 100 % CPU measures itself, not the target: Locust warns at 90 %.
    rowClass: (row) => (row.lost ? 'lost' : row.cpuPercent >= 90 ? 'hot' : ''),
  });
}
