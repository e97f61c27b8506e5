/**
 * The report's only script: click a column header to sort a table. Kept a constant so the page's
 * Content-Security-Policy can allow exactly this script by hash and nothing else, so even an
 * escaping mistake could not run injected code.
 */
export const TABLE_SORT_SCRIPT = `
document.querySelectorAll('table.sortable th').forEach(function (th) {
  th.addEventListener('click', function () {
    var table = th.closest('table');
    var tbody = table && table.tBodies[0];
    if (!tbody) return;
    var idx = Array.prototype.indexOf.call(th.parentNode.children, th);
    var asc = th.getAttribute('data-sort') !== 'asc';
    th.parentNode.querySelectorAll('th').forEach(function (h) { h.removeAttribute('data-sort'); });
    th.setAttribute('data-sort', asc ? 'asc' : 'desc');
    function key(row) {
      var cell = row.cells[idx];
      var text = cell ? cell.textContent.trim() : '';
      var n = parseFloat(text);
      return isNaN(n) ? text : n;
    }
    var rows = Array.prototype.slice.call(tbody.rows);
    rows.sort(function (a, b) {
      var x = key(a), y = key(b), c;
      if (typeof x === 'number' && typeof y === 'number') c = x - y;
      else if (typeof x === 'number') c = -1;
      else if (typeof y === 'number') c = 1;
      else c = String(x).localeCompare(String(y));
      return asc ? c : -c;
    });
    rows.forEach(function (r) { tbody.appendChild(r); });
  });
});
`;
