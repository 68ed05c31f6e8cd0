// Filters the timeline table by client, op and status, then marks the
// page ready for whoever waits on it (the browser test).
(function () {
  "use strict";
  var table = document.getElementById("timeline-table");
  if (table) {
    var selects = document.querySelectorAll(".filters select");
    var count = document.getElementById("timeline-count");
    var apply = function () {
      var want = {};
      selects.forEach(function (s) { want[s.name] = s.value; });
      var shown = 0;
      table.querySelectorAll("tbody tr").forEach(function (tr) {
        var ok = Object.keys(want).every(function (k) { return want[k] === "" || tr.dataset[k] === want[k]; });
        tr.hidden = !ok;
        if (ok) { shown++; }
      });
      if (count) { count.textContent = shown + " shown"; }
    };
    selects.forEach(function (s) { s.addEventListener("change", apply); });
    apply();
  }
  document.body.setAttribute("data-ready", "1");
})();
