/**
 * The per-endpoint chart selector: shows the chosen endpoint's pre-rendered charts and hides the
 * others; a click on an endpoint's name in the statistics table selects it too. A constant, so
 * the page's Content-Security-Policy allows it by hash (as the table sorter). Without scripts the
 * first endpoint's charts show.
 */
export const ENDPOINT_CHART_SCRIPT = `
(function () {
  var select = document.getElementById('endpoint-select');
  if (!select) return;
  var panels = document.querySelectorAll('.endpoint-panel');
  function show() {
    panels.forEach(function (p) { p.hidden = p.getAttribute('data-endpoint') !== select.value; });
  }
  select.addEventListener('change', show);
  document.querySelectorAll('a.endpoint-link').forEach(function (a) {
    a.addEventListener('click', function () {
      select.value = a.getAttribute('data-endpoint');
      show();
    });
  });
  show();
})();
`;
