// Search-as-you-type for the CTCAE term picker. Optional: without it the search form
// submits and the page lists the same results. No inline script (CSP script-src 'self').
(function () {
  "use strict";
  var form = document.querySelector("form.term-search[data-search-url]");
  var list = document.getElementById("term-results");
  if (!form || !list || !window.fetch) { return; }
  var input = form.querySelector("input[name=q]");
  if (!input) { return; }
  var timer = null;
  var latest = 0;

  function render(results, query) {
    while (list.firstChild) { list.removeChild(list.firstChild); }
    results.forEach(function (hit) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      var params = new URLSearchParams({ q: query, term: hit.meddra_code });
      link.href = "?" + params.toString();
      link.textContent = hit.term + (hit.french ? " — " + hit.french : "");
      var note = document.createElement("small");
      note.textContent = " " + hit.soc + " · MedDRA " + hit.meddra_code;
      item.appendChild(link);
      item.appendChild(note);
      list.appendChild(item);
    });
  }

  function search() {
    var query = input.value.trim();
    if (query.length < 2) { return; }
    var ticket = ++latest;
    var url = form.getAttribute("data-search-url") + "?q=" + encodeURIComponent(query);
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : { results: [] }; })
      .then(function (data) { if (ticket === latest) { render(data.results, query); } })
      .catch(function () { /* the search button still works */ });
  }

  input.setAttribute("autocomplete", "off");
  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(search, 200);
  });
})();
