// Forms after the GOV.UK design system's patterns. Every form submits without this script;
// it only helps: the error summary takes focus, its links show their question, and a plan's
// start date follows the chosen semester.
(function () {
  "use strict";

  // --- The error summary --------------------------------------------------------------------
  // After a refused submit, focus goes to the summary at the top of the form, so that a screen
  // reader reads it and a phone shows it, instead of leaving the person at the page's top.
  var summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
    summary.addEventListener("click", function (event) {
      var link = event.target.closest ? event.target.closest("a[href^='#']") : null;
      if (!link) return;
      var input = document.getElementById(decodeURIComponent(link.hash.slice(1)));
      if (!input || input.type === "hidden") return;
      event.preventDefault();
      // The question above the field stays in view: a group's legend, or the field's label.
      var fieldset = input.closest("fieldset");
      var legend = fieldset && fieldset.querySelector("legend");
      var label = document.querySelector("label[for='" + input.id + "']");
      var question = (input.type === "radio" || input.type === "checkbox") && legend ? legend : label || legend;
      (question || input).scrollIntoView();
      input.focus({ preventScroll: true });
    });
  }

  // --- A plan's start date follows its semester (CAL-2) --------------------------------------
  // Each semester option carries the plan's default start date for the learner. Choosing
  // another semester moves the start date there, unless the preparer wrote a date themselves.
  var selects = document.querySelectorAll("select[data-start-date-field]");
  Array.prototype.forEach.call(selects, function (select) {
    var field = document.getElementById(select.getAttribute("data-start-date-field"));
    if (!field) return;
    // Only the person's own typing counts (a trusted event): not this script's events, nor a
    // script restoring values (a draft), whose dates are kept by the rule below anyway.
    var typed = false;
    field.addEventListener("input", function (event) {
      if (event.isTrusted) typed = true;
    });
    function startOf(value) {
      for (var i = 0; i < select.options.length; i++) {
        if (select.options[i].value === value) return select.options[i].getAttribute("data-start-date");
      }
      return null;
    }
    var previous = select.value;
    if (select.form) {
      select.form.addEventListener("reset", function () {
        setTimeout(function () { previous = select.value; typed = false; }, 0);
      });
    }
    select.addEventListener("change", function () {
      var before = startOf(previous);
      var after = startOf(select.value);
      previous = select.value;
      if (!after || field.value === after) return;
      // A date is the preparer's own if they typed it here, or if it came back from the server
      // (a refused submit, a restored draft) different from the previous semester's default.
      if (field.value && (typed || field.value !== before)) return;
      field.value = after;
      // Others listening (a draft kept in the browser) see the new value.
      field.dispatchEvent(new Event("input", { bubbles: true }));
      field.dispatchEvent(new Event("change", { bubbles: true }));
    });
  });
})();
