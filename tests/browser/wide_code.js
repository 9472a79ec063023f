// Code blocks that scroll sideways: each `pre > code` whose content is wider than its box.
() => [...document.querySelectorAll("pre > code")]
  .filter(code => code.scrollWidth > code.clientWidth)
  .map(code => {
    const lines = code.textContent.split("\n");
    const longest = lines.reduce((a, b) => (b.length > a.length ? b : a), "");
    const block = code.closest(".highlight, pre");
    const title = block && block.querySelector(".filename, span.filename");
    return {
      title: title ? title.textContent.trim() : lines[0].slice(0, 60),
      scrollWidth: code.scrollWidth, clientWidth: code.clientWidth,
      longestLine: `${longest.length} columns: ${longest.trim().slice(0, 60)}`,
    };
  })
