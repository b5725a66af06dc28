// Small conveniences; every page works without them.
// Selecting words of an article's text fills the comment form's "quote" field and language:
// the server finds the words in the text (it never receives character offsets from here).
(function () {
  "use strict";
  document.addEventListener("mouseup", function () {
    var selection = window.getSelection && window.getSelection();
    if (!selection || selection.isCollapsed) { return; }
    var node = selection.anchorNode && selection.anchorNode.parentElement;
    var source = node && node.closest("[data-lang]");
    var field = document.querySelector("[data-quote-target]");
    if (!source || !field) { return; }
    var words = selection.toString().trim();
    if (!words || words.length > 2000) { return; }
    field.value = words;
    var lang = document.querySelector("select[name='quote_lang']");
    if (lang) { lang.value = source.getAttribute("data-lang"); }
  });
})();

// A badge's QR code opens /login#code=…: the code rides in the fragment, which browsers never
// send to a server; fill the login form from it and drop it from the address bar and history.
(function () {
  "use strict";
  var field = document.getElementById("code");
  var form = field && field.form;
  var root = document.body.getAttribute("data-root") || "";
  if (!form || form.getAttribute("action") !== root + "/login" || !location.hash) { return; }
  var found = /(?:^#|&)code=([^&]*)/.exec(location.hash);
  if (!found) { return; }
  var code = "";
  try { code = decodeURIComponent(found[1]); } catch (e) { return; }
  history.replaceState(null, "", location.pathname + location.search);
  if (!/^[A-Za-z0-9-]{1,40}$/.test(code)) { return; }
  field.value = code.toUpperCase();
  var button = form.querySelector("button");
  if (button) { button.focus(); }
})();
// The proposal form: choosing another article or kind of change loads that target's current
// words at once (the form's text is bound to the article shown; the library also refuses a
// proposal whose words were written from another text).
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var select = event.target;
    if (!select.matches || !select.matches("select[data-reload-words]")) { return; }
    var kind = document.querySelector("select[name='kind'][data-reload-words]");
    var article = document.querySelector("#propose select[name='article']") ||
      document.querySelector("#propose input[name='article']");
    var query = new URLSearchParams();
    query.set("kind", kind ? kind.value : "replace");
    if (article && article.value) { query.set("article", article.value); }
    var root = document.body.getAttribute("data-root") || "";
    window.location.assign(root + "/amendments/new?" + query.toString());
  });
})();
// Countdowns to a vote's deadline or the end of a call for consensus: the time left, ticking.
// At zero the page is told (ck:deadline), and the regions that depend on it re-fetch.
(function () {
  "use strict";
  var fired = {};
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function tick() {
    var now = Date.now();
    document.querySelectorAll("time.countdown[data-deadline]").forEach(function (el) {
      var end = Date.parse(el.getAttribute("data-deadline"));
      if (isNaN(end)) { return; }
      var left = Math.max(0, Math.round((end - now) / 1000));
      var h = Math.floor(left / 3600), m = Math.floor((left % 3600) / 60), s = left % 60;
      el.textContent = (h ? h + ":" + pad(m) : m) + ":" + pad(s);
      el.setAttribute("data-left", String(left));
      if (left === 0 && !fired[end]) {
        fired[end] = true;
        window.setTimeout(function () {
          document.body.dispatchEvent(new CustomEvent("ck:deadline"));
        }, 500);
      }
    });
  }
  tick();
  window.setInterval(tick, 1000);
})();
// The projector: an item taller than the screen scrolls through by itself (pause at the top,
// read down slowly, pause at the end, start again), so a long article never hides its end.
(function () {
  "use strict";
  if (!document.body.classList.contains("projector")) { return; }
  var state = new WeakMap();
  window.setInterval(function () {
    document.querySelectorAll("[data-autoscroll]").forEach(function (el) {
      var room = el.scrollHeight - el.clientHeight;
      if (room <= 2) { el.scrollTop = 0; return; }
      var s = state.get(el) || { wait: 40 };
      if (s.wait > 0) { s.wait -= 1; state.set(el, s); return; }
      if (el.scrollTop >= room - 1) { el.scrollTop = 0; s.wait = 40; }
      else { el.scrollTop += 1; if (el.scrollTop >= room - 1) { s.wait = 40; } }
      state.set(el, s);
    });
  }, 60);
})();
// A live refresh must not close a confirmation the chair has opened: the open <details> of
// a region are opened again in its new content (which shows the updated consequences).
(function () {
  "use strict";
  var open = [];
  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail && event.detail.target;
    open = target ? Array.prototype.map.call(
      target.querySelectorAll("details[open][id]"), function (d) { return d.id; }) : [];
  });
  document.addEventListener("htmx:afterSettle", function () {
    open.forEach(function (id) {
      var found = document.getElementById(id);
      if (found) { found.open = true; }
    });
    open = [];
  });
})();
