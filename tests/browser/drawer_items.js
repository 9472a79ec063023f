// The entries of the main navigation a reader can see now (in the phone's drawer).
() => {
  const width = document.documentElement.clientWidth;
  const height = document.documentElement.clientHeight;
  const items = document.querySelectorAll(".md-nav--primary > .md-nav__list > .md-nav__item");
  return [...items].filter(item => {
    const link = item.querySelector(":scope > .md-nav__link, :scope > a");
    if (!link || getComputedStyle(link).visibility === "hidden") return false;
    const box = link.getBoundingClientRect();
    return box.width > 0 && box.height > 0 && box.left >= -1 && box.right <= width + 1 &&
           box.top < height;
  }).map(item => item.textContent.trim().replace(/\s+/g, " ").slice(0, 40));
}
