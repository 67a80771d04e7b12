// cvgen view counter: POST, show the count; any failure leaves it hidden.
(function () {
  var script = document.currentScript, box = document.querySelector("[data-counter]");
  if (!script || !box || !window.fetch) return;
  var data = script.dataset, body = { page: data.page || location.pathname };
  // the id tells a retry from a new view (randomUUID: https or loopback)
  if (crypto.randomUUID) body.id = crypto.randomUUID();
  fetch(data.api || "/api/views", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body)
  })
    .then(function (response) { return response.ok ? response.json() : null; })
    .then(function (answer) {
      var views = answer && answer.views, out = box.querySelector("[data-counter-value]");
      if (typeof views !== "number" || !isFinite(views) || !out) return;
      out.textContent = views.toLocaleString(document.documentElement.lang || undefined);
      box.hidden = false;
    })
    .catch(function () {});
})();
