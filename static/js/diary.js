// DIA-4, shown live as the mentor types: whole academic hours of 40 minutes, rounded down.
// The server computes the same; this only helps the person see it before saving.
(function () {
  var form = document.querySelector("[data-hours-form]");
  if (!form) return;
  var start = form.querySelector("input[name=start_time]");
  var end = form.querySelector("input[name=end_time]");
  var output = form.querySelector("[data-hours-output]");
  function minutes(value) {
    var parts = (value || "").split(":");
    if (parts.length < 2) return null;
    return parseInt(parts[0], 10) * 60 + parseInt(parts[1], 10);
  }
  function update() {
    var from = minutes(start.value), to = minutes(end.value);
    if (from === null || to === null) { output.textContent = "—"; return; }
    if (to === 0) to = 24 * 60; // 00:00 is midnight at the end of the day
    var span = to - from;
    output.textContent = span > 0 ? String(Math.floor(span / 40)) : "—";
  }
  start.addEventListener("input", update);
  end.addEventListener("input", update);
  update();
})();
