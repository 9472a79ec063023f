// Every image of the article, once decoded: is it shown, and what is its alt text?
async () => {
  const article = document.querySelector("article") || document.body;
  const images = [...article.querySelectorAll("img")];
  await Promise.all(images.map(img => img.decode().catch(() => null)));
  return images.map(img => ({
    src: img.currentSrc.startsWith("data:") ? img.currentSrc.slice(0, 40) + "..." : img.currentSrc,
    alt: img.getAttribute("alt"),
    shown: img.complete && img.naturalWidth > 0,
    inNotebook: !!img.closest(".jupyter-wrapper"),
  }));
}
