// Typeset math with the site's KaTeX: what pymdownx.arithmatex (generic mode) leaves as
// \( \) and \[ \] on the pages, and $...$ / $$...$$ in the Markdown cells of notebook pages
// (tools/notebook_pages.py drops the MathJax that mkdocs-jupyter would load from a CDN).
function renderMath() {
  document.querySelectorAll(".arithmatex").forEach(function (el) {
    renderMathInElement(el, {
      delimiters: [
        { left: "\\(", right: "\\)", display: false },
        { left: "\\[", right: "\\]", display: true },
      ],
      throwOnError: false,
    });
  });
  document.querySelectorAll(".jupyter-wrapper .jp-RenderedMarkdown").forEach(function (el) {
    renderMathInElement(el, {
      delimiters: [
        { left: "$$", right: "$$", display: true },
        { left: "$", right: "$", display: false },
        { left: "\\(", right: "\\)", display: false },
        { left: "\\[", right: "\\]", display: true },
      ],
      ignoredClasses: ["highlight-ipynb"],
      throwOnError: false,
    });
  });
}
if (typeof document$ !== "undefined") {
  document$.subscribe(renderMath);  // Material re-renders after instant navigation
} else {
  document.addEventListener("DOMContentLoaded", renderMath);
}
