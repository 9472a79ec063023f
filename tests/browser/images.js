// Every image of the article, once the reader has scrolled to it (figures load lazily) and
// it is decoded: is it shown, and what is its alt text? The page is scrolled back to the top.
async () => {
  const article = document.querySelector("article") || document.body;
  const images = [...article.querySelectorAll("img")];
  for (const img of images) {
    img.scrollIntoView();
    await img.decode().catch(() => null);
  }
  scrollTo(0, 0);
  return images.map(img => ({
    src: img.currentSrc.startsWith("data:") ? img.currentSrc.slice(0, 40) + "..." : img.currentSrc,
    alt: img.getAttribute("alt"),
    shown: img.complete && img.naturalWidth > 0,
    inNotebook: !!img.closest(".jupyter-wrapper"),
  }));
}
