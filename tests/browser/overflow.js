// What does not fit the window: the page scrolling sideways, an element beyond the viewport,
// or content cut off. Code, tables and display math may scroll inside their own box (which
// must fit).
() => {
  const width = document.documentElement.clientWidth;
  const problems = [];
  const describe = el => {
    let name = el.tagName.toLowerCase() + (el.id ? "#" + el.id : "");
    if (el.classList.length) name += "." + [...el.classList].join(".");
    const text = (el.textContent || "").trim().replace(/\s+/g, " ").slice(0, 50);
    return text ? `${name} ("${text}")` : name;
  };
  const pageWidth = document.documentElement.scrollWidth;
  if (pageWidth > width + 1) {
    problems.push(`the page scrolls sideways: scrollWidth ${pageWidth} > ${width}`);
  }
  const scrolls = "pre, .highlight, .md-typeset__scrollwrap, .md-typeset__table, table, " +
                  ".katex-display, .arithmatex, .jp-OutputArea-output, " +
                  ".jp-RenderedHTMLCommon table";
  const root = document.querySelector(".md-content") || document.body;
  for (const el of root.querySelectorAll("*")) {
    if (el.parentElement && el.parentElement.closest(scrolls)) continue;
    const style = getComputedStyle(el);
    if (style.display === "none" || style.visibility === "hidden") continue;
    if (style.position === "fixed") continue;
    if (style.clip !== "auto" || style.clipPath !== "none") continue;  // hidden on purpose
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;
    const left = Math.round(box.left), right = Math.round(box.right);
    if (box.right > width + 1 || box.left < -1) {
      problems.push(`${describe(el)} spans x=${left}..${right} (viewport ${width})`);
    } else if (!el.matches(scrolls) && el.clientWidth > 0 && el.scrollWidth > el.clientWidth + 1) {
      if (["hidden", "clip"].includes(style.overflowX)) {
        problems.push(`${describe(el)} cuts off its content: ${el.scrollWidth} px wide ` +
                      `in ${el.clientWidth} px`);
      } else if (style.overflowX === "visible" && box.left + el.scrollWidth > width + 1) {
        problems.push(`${describe(el)} spills out of the window: content to ` +
                      `x=${Math.round(box.left + el.scrollWidth)} (viewport ${width})`);
      }
    }
  }
  return problems.slice(0, 20);
}
