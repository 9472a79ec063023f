// axe-core's color-contrast rule checks every element that has text: seconds on a page of
// highlighted code (one element per token), although a page has only a few dozen kinds of
// text. What axe's verdict depends on: the colour, opacity and shadow of the text, the
// background behind it, and whether the text is large (WCAG: >= 18 pt, or >= 14 pt bold,
// as axe counts it). For each such kind on this page, the smallest visible element gets
// data-contrast-sample, and the rule is told to check those elements only. Same page, same
// samples: the result does not depend on which pages were checked before.
() => {
  for (const old of document.querySelectorAll("[data-contrast-sample]")) {
    old.removeAttribute("data-contrast-sample");
  }
  const samples = new Map();        // kind of text -> {el, size}
  const behind = new Map([[document.documentElement, {background: null, opacity: 1}]]);
  for (const el of [document.body, ...document.body.querySelectorAll("*")]) {  // parents first
    const style = getComputedStyle(el);
    const parent = behind.get(el.parentElement) || {background: null, opacity: 1};
    const own = style.backgroundImage !== "none" ? style.backgroundImage
      : /^(transparent|rgba\(.*,\s*0\))$/.test(style.backgroundColor) ? null
      : style.backgroundColor;
    const background = own || parent.background;
    const opacity = parent.opacity * parseFloat(style.opacity);
    behind.set(el, {background, opacity});
    const hasText = [...el.childNodes].some(
      node => node.nodeType === Node.TEXT_NODE && node.textContent.trim());
    if (!hasText || !el.checkVisibility()) continue;
    const points = Math.ceil(parseFloat(style.fontSize) * 72) / 96;
    const large = parseFloat(style.fontWeight) >= 700 ? points >= 14 : points >= 18;
    const kind = [style.color, background, large, opacity.toFixed(2), style.textShadow,
                  style.webkitTextFillColor].join(" | ");
    const size = el.getElementsByTagName("*").length;
    if (!samples.has(kind) || size < samples.get(kind).size) samples.set(kind, {el, size});
  }
  for (const {el} of samples.values()) el.setAttribute("data-contrast-sample", "");
  axe.configure({rules: [{id: "color-contrast", selector: "[data-contrast-sample]"}]});
  return samples.size;
}
