// bidradar dashboard: the notice list refreshes as you type or pick a filter (the page works without this file:
// the form is a plain GET). No framework, no CDN.
(function () {
  "use strict";
  var back = document.querySelector("[data-back]");
  if (back) {
    back.addEventListener("click", function (event) {
      if (document.referrer && new URL(document.referrer).origin === location.origin) {
        event.preventDefault();
        history.back();
      }
    });
  }
  var form = document.getElementById("filters");
  var results = document.getElementById("results");
  if (!form || !results) return;
  var timer = null;
  var sequence = 0;

  function query() {
    var params = new URLSearchParams(new FormData(form));
    var keep = new URLSearchParams();
    params.forEach(function (value, key) { if (value !== "") keep.append(key, value); });
    return keep.toString();
  }

  function refresh() {
    var qs = query();
    var mine = ++sequence;
    results.setAttribute("aria-busy", "true");
    fetch("/partials/notices?" + qs, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        if (mine !== sequence) return; // an older answer arriving late
        results.innerHTML = html;
        results.setAttribute("aria-busy", "false");
        history.replaceState(null, "", "/?" + qs);
      })
      .catch(function () { results.setAttribute("aria-busy", "false"); });
  }

  form.addEventListener("input", function (event) {
    clearTimeout(timer);
    timer = setTimeout(refresh, event.target.name === "q" || event.target.type === "number" ? 250 : 0);
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    clearTimeout(timer);
    refresh();
  });
})();
