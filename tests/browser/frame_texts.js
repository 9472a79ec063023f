// The words of the page's frame (navigation, header, footer, search, API section titles) and
// of its labels (title, aria-label, placeholder): they must be in the page's language.
() => {
  const frame = ".doc :is(th, .doc-section-title), .md-nav__link, .md-footer, " +
                ".md-header__topic, .md-search__output";
  const texts = [...document.querySelectorAll(frame)].map(el => el.textContent);
  for (const el of document.querySelectorAll("[title], [aria-label], [placeholder]")) {
    if (el.closest(".md-select__list")) continue;    // the language names: each in its own
    texts.push(...["title", "aria-label", "placeholder"].map(name => el.getAttribute(name)));
  }
  return texts.filter(text => text && text.trim())
              .map(text => text.trim().replace(/\s+/g, " ").slice(0, 80));
}
