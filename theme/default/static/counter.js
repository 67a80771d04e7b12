// cvgen counter: POST a view, show the count (hidden on any failure); a click on
// [data-count-download] counts a download. Quiet off-site unless cvgen serve (data-local).
(function () {
  var s = document.currentScript, box = document.querySelector("[data-counter]");
  if (!s || !window.fetch) return;
  var d = s.dataset;
  if (location.protocol == "file:" ||
      (/^(localhost|127\.|\[::1\])/.test(location.hostname) && !("local" in d))) return;
  function post(kind) {
    var b = { page: d.page || location.pathname, kind: kind };
    if (crypto.randomUUID) b.id = crypto.randomUUID(); // a retry counts once
    return fetch(d.api || "/api/views", { method: "POST", keepalive: true,
      headers: { "Content-Type": "application/json" }, body: JSON.stringify(b) });
  }
  document.addEventListener("click", function (e) {
    if (e.target.closest("[data-count-download]")) post("download").catch(Object);
  });
  post("view") // an HTML error page instead of JSON: no count
    .then(function (r) { return r.ok && /json/.test(r.headers.get("content-type")) ? r.json() : null; })
    .then(function (a) {
      var n = a && a.views, o = box && box.querySelector("[data-counter-value]");
      if (typeof n != "number" || !isFinite(n) || !o) return;
      o.textContent = n.toLocaleString(document.documentElement.lang || undefined);
      box.hidden = false;
    })
    .catch(Object);
})();
