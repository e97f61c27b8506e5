// @ts-check
import { element } from './dom.js';

/**
 * A table whose rows are reused between updates, keyed by each row's identity. An update writes
 * only the cells whose text changed and moves rows only when the order changed, so a 200-row
 * table refreshed every second costs string comparisons instead of a rebuild, and a user's text
 * selection or hover survives the refresh.
 */

/**
 * @template Row
 * @typedef {object} Column
 * @property {string} label
 * @property {(row: Row) => string} text
 * @property {(row: Row) => number | string | null} [sortValue]  default: the cell's text
 * @property {boolean} [numeric]  right-aligned, and sorted as a number
 * @property {boolean} [pre]  the text goes in a <pre> (tracebacks)
 */

/**
 * @template Row
 * @typedef {object} TableOptions
 * @property {Array<Column<Row>>} columns
 * @property {(row: Row) => string} keyOf
 * @property {(tr: HTMLTableRowElement, row: Row) => void} [onCreateRow]  e.g. data-name
 * @property {(row: Row) => string} [rowClass]
 * @property {boolean} [pinLast]  the last row stays last whatever the sort (an Aggregated row)
 */

/**
 * @template Row
 * @typedef {object} RowEntry
 * @property {HTMLTableRowElement} tr
 * @property {HTMLElement[]} targets  where each cell's text goes (the td, or its <pre>)
 * @property {string[]} texts  what each cell shows now, to skip unchanged writes
 * @property {string} className
 * @property {Row} row
 * @property {number} index  position in the server's order, the tie-breaker of every sort
 */

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

/**
 * @template Row
 * @param {HTMLTableElement} table
 * @param {TableOptions<Row>} options
 */
export function createKeyedTable(table, options) {
  const tbody = element('tbody');
  const headers = buildHeader(table, options.columns, (index) => sortBy(index));
  table.append(tbody);
  /** @type {Map<string, RowEntry<Row>>} */
  const entries = new Map();
  /** @type {Array<RowEntry<Row>>} */
  let order = [];
  /** @type {{ column: number, ascending: boolean } | null} */
  let sort = null;

  /** @param {readonly Row[]} rows */
  function update(rows) {
    const seen = new Set();
    /** @type {Array<RowEntry<Row>>} */
    const fresh = [];
    rows.forEach((row, index) => {
      const key = options.keyOf(row);
      if (seen.has(key)) return;
      seen.add(key);
      const entry = entries.get(key) ?? createEntry(key, row);
      entry.row = row;
      entry.index = index;
      writeEntry(entry, options);
      fresh.push(entry);
    });
    for (const [key, entry] of entries) {
      if (!seen.has(key)) {
        entry.tr.remove();
        entries.delete(key);
      }
    }
    order = fresh;
    placeRows();
  }

  /**
   * @param {string} key
   * @param {Row} row
   */
  function createEntry(key, row) {
    const tr = element('tr');
    /** @type {HTMLElement[]} */
    const targets = options.columns.map((column) => {
      const td = tr.insertCell();
      if (column.numeric) td.className = 'num';
      if (!column.pre) return td;
      const pre = element('pre');
      td.append(pre);
      return pre;
    });
    options.onCreateRow?.(tr, row);
    /** @type {RowEntry<Row>} */
    const entry = { tr, targets, texts: targets.map(() => ''), className: '', row, index: 0 };
    entries.set(key, entry);
    return entry;
  }

  function placeRows() {
    const pinned = options.pinLast ? order.at(-1) : undefined;
    const body = pinned ? order.slice(0, -1) : order.slice();
    if (sort) body.sort(compareBy(options.columns, sort.column, sort.ascending));
    if (pinned) body.push(pinned);
    if (sameOrder(tbody.rows, body)) return;
    tbody.append(...body.map((entry) => entry.tr));
  }

  /** @param {number} column */
  function sortBy(column) {
    sort = { column, ascending: sort?.column === column ? !sort.ascending : true };
    headers.forEach((th, index) => {
      if (index === column) th.setAttribute('aria-sort', sort?.ascending ? 'ascending' : 'descending');
      else th.removeAttribute('aria-sort');
    });
    placeRows();
  }

  return { update, size: () => entries.size };
}

/**
 * @template Row
 * @param {HTMLTableElement} table
 * @param {Array<Column<Row>>} columns
 * @param {(index: number) => void} onSort
 */
function buildHeader(table, columns, onSort) {
  const headRow = element('tr');
  const headers = columns.map((column, index) => {
    const button = element('button', { className: 'sort', text: column.label });
    button.type = 'button';
    button.title = `Sort by ${column.label}`;
    button.addEventListener('click', () => onSort(index));
    const th = element('th', { className: column.numeric ? 'num' : '' }, [button]);
    th.scope = 'col';
    headRow.append(th);
    return th;
  });
  table.append(element('thead', {}, [headRow]));
  return headers;
}

/**
 * @template Row
 * @param {RowEntry<Row>} entry
 * @param {TableOptions<Row>} options
 */
function writeEntry(entry, options) {
  options.columns.forEach((column, index) => {
    const text = column.text(entry.row);
    if (entry.texts[index] === text) return;
    entry.texts[index] = text;
    const target = entry.targets[index];
    if (target) target.textContent = text;
  });
  const className = options.rowClass?.(entry.row) ?? '';
  if (className !== entry.className) {
    entry.className = className;
    entry.tr.className = className;
  }
}

/**
 * Nulls (no value yet) sort last in both directions; ties keep the server's order, so the sort
 * is stable and rows do not shuffle between updates.
 * @template Row
 * @param {Array<Column<Row>>} columns
 * @param {number} columnIndex
 * @param {boolean} ascending
 * @returns {(a: RowEntry<Row>, b: RowEntry<Row>) => number}
 */
function compareBy(columns, columnIndex, ascending) {
  const column = columns[columnIndex];
  if (!column) return (a, b) => a.index - b.index;
  const valueOf = column.sortValue ?? ((row) => column.text(row));
  return (a, b) => {
    const x = valueOf(a.row);
    const y = valueOf(b.row);
    if (x === null || y === null) return x === y ? a.index - b.index : x === null ? 1 : -1;
    const c = typeof x === 'number' && typeof y === 'number' ? x - y : collator.compare(String(x), String(y));
    if (c === 0 || Number.isNaN(c)) return a.index - b.index;
    return ascending ? c : -c;
  };
}

/**
 * @template Row
 * @param {HTMLCollectionOf<HTMLTableRowElement>} rows
 * @param {Array<RowEntry<Row>>} wanted
 */
function sameOrder(rows, wanted) {
  if (rows.length !== wanted.length) return false;
  return wanted.every((entry, index) => rows[index] === entry.tr);
}
