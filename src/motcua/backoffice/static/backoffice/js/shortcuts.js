/* MotCua back office: keyboard shortcuts (docs/backoffice.md). Every page works without it.
   Alt+N  new counter intake          /      focus the page's search box (or open Search)
   Alt+I  the inbox                   Alt+S  the search page                               */
(function () {
  "use strict";
  function typing(target) {
    var tag = target && target.tagName ? target.tagName.toLowerCase() : "";
    return tag === "input" || tag === "textarea" || tag === "select" || (target && target.isContentEditable);
  }
  function follow(selector) {
    var link = document.querySelector(selector);
    if (link && link.href) { window.location.assign(link.href); return true; }
    return false;
  }
  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey) { return; }
    var key = (event.key || "").toLowerCase();
    if (event.altKey && !event.shiftKey) {
      var done = (key === "n" && follow("[data-shortcut='new-intake']")) ||
        (key === "i" && follow(".usa-logo a, .motcua-logo__link")) ||
        (key === "s" && follow("[data-shortcut='search-page']"));
      if (done) { event.preventDefault(); }
      return;
    }
    if (key === "/" && !event.altKey && !typing(event.target)) {
      var box = document.querySelector("[data-shortcut='search']");
      if (box) { event.preventDefault(); box.focus(); if (box.select) { box.select(); } }
      else if (follow("[data-shortcut='search-page']")) { event.preventDefault(); }
    }
  });
})();
