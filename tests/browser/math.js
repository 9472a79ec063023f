// Math on the page: what KaTeX typeset, and TeX left as text where a reader sees it.
() => {
  const article = document.querySelector("article.md-content__inner") || document.body;
  const codeOrMath = "pre, code, .highlight, .katex, script, style, textarea, .jp-InputArea";
  const blocks = "p, li, td, th, dd, dt, h1, h2, h3, h4, h5, h6, figcaption, blockquote, " +
                 ".admonition-title";
  const tex = /\$\$|\$[^$\s][^$\n]*\$|\\\(|\\\)|\\\[|\\\]/;
  const rawTex = [];
  for (const block of article.querySelectorAll(blocks)) {
    if (block.closest(codeOrMath)) continue;
    let text = "";
    const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      if (!walker.currentNode.parentElement.closest(codeOrMath)) {
        text += walker.currentNode.textContent;
      }
    }
    const found = text.match(tex);
    if (found) rawTex.push(text.trim().slice(Math.max(0, found.index - 30), found.index + 60));
  }
  const arithmatex = [...article.querySelectorAll(".arithmatex")];
  return {
    rawTex: [...new Set(rawTex)],
    arithmatex: arithmatex.length,
    katex: article.querySelectorAll(".katex").length,
    untypeset: arithmatex.filter(el => !el.querySelector(".katex"))
                         .map(el => el.textContent.trim().slice(0, 80)),
    errors: [...article.querySelectorAll(".katex-error")].map(el => el.textContent.slice(0, 80)),
    // KaTeX's MathML in one size (stylesheets/extra.css), so that no web font restyles it
    rescaledMathML: [...article.querySelectorAll(".katex-mathml math *")]
      .filter(el => getComputedStyle(el).fontSize !==
                    getComputedStyle(el.closest("math")).fontSize)
      .map(el => el.outerHTML.slice(0, 60)),
  };
}
