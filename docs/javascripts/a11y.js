// Accessibility fixes that need the DOM (axe-core rules; tests/test_browser.py checks them).
(function () {
  // Material's search overlay is a role="dialog" with no accessible name (aria-dialog-name):
  // name it after its search field ("搜索" / "Search").
  document.querySelectorAll('.md-search[role="dialog"]:not([aria-label])').forEach(function (dialog) {
    var input = dialog.querySelector(".md-search__input");
    dialog.setAttribute("aria-label", (input && input.getAttribute("aria-label")) || "Search");
  });
  // A region that scrolls must be reachable with the keyboard (scrollable-region-focusable):
  // notebook inputs and outputs that are wider than the page get tabindex="0", as Material
  // gives its own code blocks.
  document.querySelectorAll(".jupyter-wrapper pre, .jupyter-wrapper .CodeMirror, .jupyter-wrapper .jp-CodeMirrorEditor")
    .forEach(function (el) {
      if (el.scrollWidth > el.clientWidth && !el.hasAttribute("tabindex")) {
        el.setAttribute("tabindex", "0");
      }
    });
})();
