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
