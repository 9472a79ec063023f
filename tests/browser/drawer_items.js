// The entries of the main navigation a reader can see in the phone's drawer (it scrolls, so an
// entry below the fold counts; one off to the side, hidden or of no size does not).
() => {
  const width = document.documentElement.clientWidth;
  const items = document.querySelectorAll(".md-nav--primary > .md-nav__list > .md-nav__item");
  return [...items].filter(item => {
    const link = item.querySelector(":scope > .md-nav__link, :scope > a");
    if (!link || getComputedStyle(link).visibility === "hidden") return false;
    const box = link.getBoundingClientRect();
    return box.width > 0 && box.height > 0 && box.left >= -1 && box.right <= width + 1;
  }).map(item => item.textContent.trim().replace(/\s+/g, " ").slice(0, 40));
}
