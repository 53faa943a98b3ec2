// DIA-4, shown live as the mentor types: whole academic hours of 40 minutes, rounded down,
// and why a span under 40 minutes cannot be saved. One verb for one action: a new entry's
// title and button follow the date (a meeting held or already started is recorded, one
// still ahead is planned), by the server's clock (data-now), as the server decides it too.
// The server computes all of this; the script only helps the person see it before saving.
(function () {
  var form = document.querySelector("[data-hours-form]");
  if (!form) return;
  var date = form.querySelector("input[name=date]");
  var start = form.querySelector("input[name=start_time]");
  var end = form.querySelector("input[name=end_time]");
  var output = form.querySelector("[data-hours-output]");
  var note = form.querySelector("[data-hours-note]");
  var title = document.querySelector("[data-entry-title]");
  var submit = form.querySelector("[data-entry-submit]");
  var now = (form.getAttribute("data-now") || "").split(" "); // "yyyy-mm-dd HH:MM"
  var loaded = Date.now();

  function minutes(value) {
    var parts = (value || "").split(":");
    if (parts.length < 2 || parts[0] === "" || parts[1] === "") return null;
    return parseInt(parts[0], 10) * 60 + parseInt(parts[1], 10);
  }
  function text(name) {
    return form.getAttribute(name) || "";
  }
  function hours() {
    var from = minutes(start.value), to = minutes(end.value);
    if (from === null || to === null) {
      output.textContent = "—";
      note.textContent = text("data-hours-explained");
      note.classList.remove("hours-why");
      return;
    }
    if (to === 0) to = 24 * 60; // 00:00 is midnight at the end of the day
    var span = to - from;
    if (span <= 0) {
      output.textContent = "—";
      note.textContent = text("data-hours-backwards");
    } else if (span < 40) {
      output.textContent = "0";
      note.textContent = text("data-hours-short");
    } else {
      output.textContent = String(Math.floor(span / 40));
      note.textContent = text("data-hours-explained");
    }
    note.classList.toggle("hours-why", span < 40);
  }
  function verb() {
    if (!title || !form.hasAttribute("data-title-record") || !date) return;
    var today = now[0], day = date.value, ahead = false;
    if (day && today && day !== today) {
      ahead = day > today; // ISO dates compare as text
    } else if (day && today) {
      var from = minutes(start.value);
      var clock = minutes(now[1]) + Math.floor((Date.now() - loaded) / 60000);
      ahead = from !== null && from > clock;
    }
    var label = text(ahead ? "data-title-plan" : "data-title-record");
    if (title.textContent === label) return;
    title.textContent = label;
    if (submit) submit.textContent = label;
    var rest = document.title.indexOf(" · ");
    document.title = rest >= 0 ? label + document.title.slice(rest) : label;
  }
  function update() {
    hours();
    verb();
  }
  [date, start, end].forEach(function (input) {
    if (!input) return;
    input.addEventListener("input", update);
    input.addEventListener("change", update);
  });
  update();
})();
