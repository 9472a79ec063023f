// Typeset the math that pymdownx.arithmatex (generic mode) leaves as \( \) and \[ \].
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
}
if (typeof document$ !== "undefined") {
  document$.subscribe(renderMath);  // Material re-renders after instant navigation
} else {
  document.addEventListener("DOMContentLoaded", renderMath);
}
