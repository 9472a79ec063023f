// Accessibility fixes that need the DOM (axe-core rules; tests/test_browser.py checks them).
function nnguideA11y() {
  // Material's search overlay is a role="dialog" with no accessible name (aria-dialog-name):
  // name it after its search field ("搜索" / "Search").
  document.querySelectorAll('.md-search[role="dialog"]:not([aria-label])').forEach(function (dialog) {
    var input = dialog.querySelector(".md-search__input");
    dialog.setAttribute("aria-label", (input && input.getAttribute("aria-label")) || "Search");
  });
  // A region that scrolls must be reachable with the keyboard (scrollable-region-focusable):
  // notebook inputs and outputs, and wide tables, that are wider than the page get tabindex="0", as Material
  // gives its own code blocks.
  document.querySelectorAll(".jupyter-wrapper pre, .jupyter-wrapper .CodeMirror, .jupyter-wrapper .jp-CodeMirrorEditor, .md-typeset__scrollwrap")
    .forEach(function (el) {
      if (el.scrollWidth > el.clientWidth && !el.hasAttribute("tabindex")) {
        el.setAttribute("tabindex", "0");
      }
    });
}
// Material wraps tables in .md-typeset__scrollwrap from its own script, after this
// file has run: apply the fixes once the page is mounted.
if (typeof document$ !== "undefined") {
  document$.subscribe(function () { setTimeout(nnguideA11y, 0); });
} else {
  window.addEventListener("load", nnguideA11y);
}
