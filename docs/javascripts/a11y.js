// Accessibility fixes that need the DOM (axe-core rules; tests/browser checks them).
function nnguideA11y() {
  // Material's search overlay is a role="dialog" with no accessible name (aria-dialog-name):
  // name it after its search field ("搜索" / "Search").
  document.querySelectorAll('.md-search[role="dialog"]:not([aria-label])').forEach(function (dialog) {
    var input = dialog.querySelector(".md-search__input");
    dialog.setAttribute("aria-label", (input && input.getAttribute("aria-label")) || "Search");
  });
  // A region that scrolls must be reachable with the keyboard (scrollable-region-focusable):
  // notebook inputs and outputs, and wide tables, that are wider than the page get tabindex="0", as Material
  // gives its own code blocks. A ResizeObserver reads their widths after the browser's own
  // layout, and again when they change size (a phone turned sideways): reading them here
  // would force a layout of the whole page (500 ms on a slow phone on the API page).
  var wide = new ResizeObserver(function (entries) {
    // all the reads first, then the writes: a write between two reads would force a new layout
    entries.map(function (entry) {
      return [entry.target, entry.target.scrollWidth > entry.target.clientWidth];
    }).forEach(function (change) {
      var el = change[0], scrolls = change[1];
      if (scrolls && !el.hasAttribute("tabindex")) {
        el.setAttribute("tabindex", "0");
        el.setAttribute("data-nnguide-tabindex", "");
      } else if (!scrolls && el.hasAttribute("data-nnguide-tabindex")) {
        el.removeAttribute("tabindex");
        el.removeAttribute("data-nnguide-tabindex");
      }
    });
  });
  document.querySelectorAll(".jupyter-wrapper pre, .jupyter-wrapper .CodeMirror, .jupyter-wrapper .jp-CodeMirrorEditor, .md-typeset__scrollwrap")
    .forEach(function (el) { wide.observe(el); });
}
// Once Material has mounted the page (a table it finds without a class it wraps then; the
// build wraps ours, tools/wrapped_tables.py).
if (typeof document$ !== "undefined") {
  document$.subscribe(function () { setTimeout(nnguideA11y, 0); });
} else {
  window.addEventListener("load", nnguideA11y);
}
