// cvgen view counter: POST {page} to data-api, show the count; on any failure stay hidden.
(function () {
  var script = document.currentScript, box = document.querySelector("[data-counter]");
  if (!script || !box || !window.fetch) return;
  var data = script.dataset;
  fetch(data.api || "/api/views", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ page: data.page || location.pathname })
  })
    .then(function (response) { return response.ok ? response.json() : null; })
    .then(function (body) {
      var views = body && body.views, out = box.querySelector("[data-counter-value]");
      if (typeof views !== "number" || !isFinite(views) || !out) return;
      out.textContent = views.toLocaleString(document.documentElement.lang || undefined);
      box.hidden = false;
    })
    .catch(function () {});
})();
