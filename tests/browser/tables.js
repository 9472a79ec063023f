// Each table of the article, against a twin without the table's class put in the same two
// wrappers that Material's script gives a table without a class (tools/wrapped_tables.py
// copies the theme's rules for the class): is it wrapped once, and which computed styles of
// the table, its first header cell, data cell, row and link differ from the twin's?
() => [...document.querySelectorAll("article table")].map(table => {
  const box = table.parentElement, scroll = box && box.parentElement;
  const wrapped = box.className === "md-typeset__table"
    && scroll.className === "md-typeset__scrollwrap"
    && !scroll.parentElement.closest(".md-typeset__table");
  const twinScroll = scroll.cloneNode(true);
  const twin = twinScroll.querySelector("table");
  twin.removeAttribute("class");
  scroll.after(twinScroll);
  const parts = t => ["table", "th", "td", "tbody tr", "a"]
    .map(s => s === "table" ? t : t.querySelector(s));
  const theirs = parts(twin), differences = [];
  parts(table).forEach((el, k) => {
    if (!el) return;
    const a = getComputedStyle(el), b = getComputedStyle(theirs[k]);
    for (const prop of a) {
      if (a.getPropertyValue(prop) !== b.getPropertyValue(prop)) {
        differences.push(`${el.tagName.toLowerCase()} ${prop}: ${a.getPropertyValue(prop)} ` +
                         `(Material: ${b.getPropertyValue(prop)})`);
      }
    }
  });
  twinScroll.remove();
  return {cls: table.className, wrapped, differences};
})
