// Math in notebook pages: mkdocs-jupyter leaves $...$ and $$...$$ in the Markdown
// cells for MathJax, which would come from a CDN. hooks/notebook_pages.py drops
// that; KaTeX, served by the site, renders the math instead.
function renderNotebookMath() {
  if (typeof renderMathInElement === "undefined") return;
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
  document$.subscribe(renderNotebookMath);
} else {
  document.addEventListener("DOMContentLoaded", renderNotebookMath);
}
