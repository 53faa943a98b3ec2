// Nothing typed is lost when a session ends (issue 11). Without this script every form still
// submits, and the login page still says when a session had ended; this only helps:
//
// - A form marked data-keep-draft keeps what is typed in sessionStorage: per browser tab, gone
//   when the tab closes, as a diary is children's data on a phone that may be shared. Never
//   files, passwords, hidden fields or the CSRF token. A draft is keyed by the form's page.
// - Submitting marks the draft sent. The next page decides: the login page (the session had
//   ended, the form's content was lost on the way) keeps it and says that it comes back; back
//   on the form after logging in, it is filled in again. Any other page means the server
//   answered (saved, or re-rendered the form with its errors): the draft is dropped, and the
//   server's page is not overwritten. Logging out drops every draft.
// - A minute before an idle session ends, a warning offers "Stay logged in" (a POST to the
//   keep-alive view). The page says how many seconds the session has (data-seconds).
(function () {
  "use strict";

  var PREFIX = "skola-draft:";
  var SHARED_DEADLINE = "skola-session-deadline"; // a time only, so that tabs agree
  var WARN_MS = 60 * 1000;
  var MAX_AGE_MS = 24 * 60 * 60 * 1000;
  var SKIPPED = { file: 1, password: 1, hidden: 1, submit: 1, button: 1, image: 1, reset: 1 };

  var timerBox = document.querySelector("[data-session-timer]");
  var user = timerBox ? timerBox.getAttribute("data-user") : null;
  var loginNotice = document.querySelector("[data-session-ended]"); // only on the login page
  var forms = document.querySelectorAll("form[data-keep-draft]");
  var navigation = (window.performance && performance.getEntriesByType &&
    performance.getEntriesByType("navigation")[0]) || {};
  // Back to the page, or reloaded: a submit that never reached the server (no network).
  var returning = navigation.type === "back_forward" || navigation.type === "reload";

  // --- Storage -------------------------------------------------------------------------------
  function storage() {
    try { return window.sessionStorage; } catch (e) { return null; }
  }
  function read(key) {
    var store = storage();
    try { return store ? JSON.parse(store.getItem(PREFIX + key)) : null; } catch (e) { return null; }
  }
  function write(key, draft) {
    var store = storage();
    try { if (store) store.setItem(PREFIX + key, JSON.stringify(draft)); } catch (e) { /* full */ }
  }
  function drop(key) {
    var store = storage();
    if (store) store.removeItem(PREFIX + key);
  }
  function keys() {
    var store = storage(), found = [];
    if (!store) return found;
    for (var i = 0; i < store.length; i++) {
      var name = store.key(i);
      if (name && name.indexOf(PREFIX) === 0) found.push(name.slice(PREFIX.length));
    }
    return found;
  }
  function dropAll() {
    keys().forEach(drop);
  }

  function here() {
    return location.pathname + location.search;
  }
  function pathOf(url) {
    var parsed = new URL(url, location.href);
    return parsed.pathname + parsed.search;
  }
  function keyOf(form, index) {
    return here() + "#" + (form.getAttribute("data-keep-draft") || index);
  }

  // --- A form's fields -----------------------------------------------------------------------
  function kept(element) {
    var type = (element.type || "").toLowerCase();
    return element.name && element.name !== "csrfmiddlewaretoken" && !SKIPPED[type] &&
      !element.hasAttribute("data-no-draft") &&
      /^(INPUT|SELECT|TEXTAREA)$/.test(element.tagName);
  }
  function fieldsOf(form) {
    var fields = {};
    Array.prototype.forEach.call(form.elements, function (element) {
      if (!kept(element)) return;
      var values = fields[element.name] || (fields[element.name] = []);
      var type = element.type;
      if (type === "checkbox" || type === "radio") {
        if (element.checked) values.push(element.value);
      } else if (element.tagName === "SELECT") {
        Array.prototype.forEach.call(element.options, function (option) {
          if (option.selected) values.push(option.value);
        });
      } else {
        values.push(element.value);
      }
    });
    return fields;
  }
  function fill(form, fields) {
    var seen = {};
    Array.prototype.forEach.call(form.elements, function (element) {
      if (!kept(element) || !Object.prototype.hasOwnProperty.call(fields, element.name)) return;
      var values = fields[element.name];
      var type = element.type;
      if (type === "checkbox" || type === "radio") {
        element.checked = values.indexOf(element.value) !== -1;
      } else if (element.tagName === "SELECT") {
        Array.prototype.forEach.call(element.options, function (option) {
          option.selected = values.indexOf(option.value) !== -1;
        });
      } else {
        var index = seen[element.name] || 0;
        if (index < values.length) element.value = values[index];
        seen[element.name] = index + 1;
      }
      // A field folded away (an optional comment) opens when something came back into it.
      var folded = element.closest && element.closest("details:not([open])");
      var filled = type === "checkbox" || type === "radio" ? element.checked : element.value;
      if (folded && filled) folded.open = true;
    });
  }
  function announce(form) {
    // The page's own scripts (hours shown live, comments that open) see the values as typed.
    Array.prototype.forEach.call(form.elements, function (element) {
      if (!kept(element)) return;
      element.dispatchEvent(new Event("input", { bubbles: true }));
      element.dispatchEvent(new Event("change", { bubbles: true }));
    });
  }

  // --- On each page: what became of the drafts ---------------------------------------------
  var formKeys = {};
  Array.prototype.forEach.call(forms, function (form, index) { formKeys[keyOf(form, index)] = true; });
  var nextPath = null;
  if (loginNotice) {
    var nextField = document.querySelector("form input[name=next]");
    var nextParam = nextField ? nextField.value : new URLSearchParams(location.search).get("next");
    nextPath = nextParam ? pathOf(nextParam) : null;
  }
  var comesBack = false;
  keys().forEach(function (key) {
    var draft = read(key);
    if (!draft || Date.now() - draft.at > MAX_AGE_MS || (user && draft.user && draft.user !== user)) {
      drop(key);
    } else if (loginNotice) {
      // The session had ended: what was typed, sent or not, was not saved.
      draft.ended = true;
      write(key, draft);
      if (nextPath && (draft.page === nextPath || draft.action === nextPath)) comesBack = true;
    } else if (draft.sent && !draft.ended && !(returning && formKeys[key])) {
      drop(key); // the server answered the submit
    }
  });
  if (loginNotice && comesBack) {
    loginNotice.hidden = false;
    Array.prototype.forEach.call(loginNotice.querySelectorAll("[data-without-draft]"), function (p) {
      p.hidden = true;
    });
    loginNotice.querySelector("[data-with-draft]").hidden = false;
  }

  // --- The forms that keep drafts ------------------------------------------------------------
  Array.prototype.forEach.call(forms, function (form, index) {
    var key = keyOf(form, index);
    var quiet = false;

    function save(sent) {
      if (quiet || !user) return;
      write(key, {
        user: user, page: here(), action: pathOf(form.getAttribute("action") || location.href),
        at: Date.now(),
        sent: sent, ended: false, fields: fieldsOf(form)
      });
    }
    function quietly(change) {
      quiet = true;
      try { change(); } finally { quiet = false; }
    }

    var draft = read(key);
    if (draft && user && draft.user === user &&
        JSON.stringify(draft.fields) !== JSON.stringify(fieldsOf(form))) {
      quietly(function () {
        fill(form, draft.fields);
        announce(form);
        fill(form, draft.fields); // in case a script moved a value on the way
      });
      save(false);
      var template = document.querySelector(
        'template[data-draft-text="' + (draft.ended ? "ended" : "earlier") + '"]'
      );
      if (template) {
        var notice = template.content.firstElementChild.cloneNode(true);
        form.parentNode.insertBefore(notice, form);
        notice.querySelector("[data-draft-discard]").addEventListener("click", function () {
          quietly(function () {
            form.reset(); // back to what the server sent
            announce(form);
          });
          drop(key);
          notice.remove();
          var first = form.querySelector("input:not([type=hidden]), select, textarea");
          if (first) first.focus();
        });
        if (!document.activeElement || document.activeElement === document.body) notice.focus();
      }
    } else if (draft) {
      drop(key);
    }

    form.addEventListener("input", function () { save(false); });
    form.addEventListener("change", function () { save(false); });
    form.addEventListener("submit", function () { save(true); });
    // "Cancel" and other links inside the form leave it on purpose.
    form.addEventListener("click", function (event) {
      var link = event.target.closest && event.target.closest("a[href]");
      if (link && !link.target) {
        quiet = true;
        drop(key);
      }
    });
  });

  // Logging out drops every draft of the tab.
  document.addEventListener("submit", function (event) {
    var logout = timerBox && timerBox.getAttribute("data-logout");
    var action = event.target.getAttribute && event.target.getAttribute("action");
    if (logout && action && pathOf(action) === logout) dropAll();
  });

  // --- The idle warning ----------------------------------------------------------------------
  if (!timerBox) return;
  var idleMs = Number(timerBox.getAttribute("data-idle")) * 1000;
  var deadline, capped, shown = null;

  function setSeconds(seconds) {
    deadline = Date.now() + seconds * 1000;
    capped = seconds * 1000 < idleMs; // the absolute age ends it: staying cannot help
    try {
      localStorage.setItem(SHARED_DEADLINE, JSON.stringify({ deadline: deadline, capped: capped }));
    } catch (e) { /* private mode */ }
  }
  function typedHere() {
    return Array.prototype.some.call(forms, function (form, index) { return !!read(keyOf(form, index)); });
  }
  function markEnded() {
    Array.prototype.forEach.call(forms, function (form, index) {
      var draft = read(keyOf(form, index));
      if (draft && !draft.ended) {
        draft.ended = true;
        write(keyOf(form, index), draft);
      }
    });
  }
  function show(state) {
    if (state === shown) return;
    shown = state;
    timerBox.textContent = "";
    timerBox.classList.toggle("is-shown", !!state);
    document.body.classList.toggle("session-warning-shown", !!state);
    if (!state) return;
    var template = document.querySelector('template[data-session-text="' + state + '"]');
    timerBox.appendChild(template.content.cloneNode(true));
    var login = timerBox.querySelector("[data-login-link]");
    if (login) {
      login.href = timerBox.getAttribute("data-login") + "?next=" +
        encodeURIComponent(here()) + "&sesija=beigusies";
    }
    var stay = timerBox.querySelector("[data-keep-alive-button]");
    if (stay) stay.addEventListener("click", function () { stayLoggedIn(stay); });
  }
  function tick() {
    var left = deadline - Date.now();
    if (left <= 0) {
      markEnded();
      show(typedHere() ? "ended-draft" : "ended");
    } else if (left <= WARN_MS) {
      show(capped ? "capped" : "warning");
    } else {
      show(null);
    }
  }
  function stayLoggedIn(button) {
    var token = document.querySelector("input[name=csrfmiddlewaretoken]");
    button.disabled = true;
    fetch(timerBox.getAttribute("data-keep-alive"), {
      method: "POST",
      credentials: "same-origin",
      redirect: "manual", // a session already ended answers with the way to the login page
      headers: { "X-CSRFToken": token ? token.value : "" }
    }).then(function (response) {
      var seconds = Number(response.headers.get("X-Session-Seconds"));
      if (response.status === 204 && seconds > 0) {
        setSeconds(seconds);
      } else {
        deadline = 0;
      }
      tick();
    }, function () {
      button.disabled = false; // no network: the warning stays, try again
    });
  }

  setSeconds(Number(timerBox.getAttribute("data-seconds")));
  // Another tab's request extends this session too.
  window.addEventListener("storage", function (event) {
    if (event.key !== SHARED_DEADLINE) return;
    var shared;
    try { shared = JSON.parse(event.newValue); } catch (e) { return; }
    if (shared && shared.deadline > deadline) {
      deadline = shared.deadline;
      capped = !!shared.capped;
      tick();
    }
  });
  document.addEventListener("visibilitychange", tick);
  setInterval(tick, 1000);
  tick();
})();
