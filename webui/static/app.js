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
    window.location.assign("/amendments/new?" + query.toString());
  });
})();
