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
  if (!form || form.getAttribute("action") !== "/login" || !location.hash) { return; }
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
