// cvgen view counter: POST, show the count; any failure or non-JSON answer leaves it hidden.
// Quiet on a page opened from disk or a plain local server (no API there); cvgen serve marks
// data-local.
(function () {
  var s = document.currentScript, box = document.querySelector("[data-counter]");
  if (!s || !box || !window.fetch) return;
  var d = s.dataset, body = { page: d.page || location.pathname };
  if (location.protocol == "file:" ||
      (/^(localhost|127\.|\[::1\])/.test(location.hostname) && !("local" in d))) return;
  if (crypto.randomUUID) body.id = crypto.randomUUID(); // tells a retry from a new view
  fetch(d.api || "/api/views", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body)
  })
    // an HTML error page in place of the API's JSON: no count
    .then(function (r) { return r.ok && /json/.test(r.headers.get("content-type")) ? r.json() : null; })
    .then(function (a) {
      var views = a && a.views, out = box.querySelector("[data-counter-value]");
      if (typeof views != "number" || !isFinite(views) || !out) return;
      out.textContent = views.toLocaleString(document.documentElement.lang || undefined);
      box.hidden = false;
    })
    .catch(function () {});
})();
