// The ">>>" code blocks of the article, in order. Each gets data-pycon-block="<i>" (so a test
// can click its copy button); for each, the code a reader should get: the text after the
// prompts (">>> ", "... "), without the output lines; and whether it has a copy button.
() => {
  const blocks = [...document.querySelectorAll("article .highlight")].filter(block => {
    const prompt = block.querySelector("code .gp");
    return prompt && prompt.textContent.startsWith(">>>");
  });
  return blocks.map((block, i) => {
    block.setAttribute("data-pycon-block", String(i));
    const lines = [{prompt: "", text: ""}];
    const read = node => {
      for (const child of node.childNodes) {
        if (child.nodeType === Node.TEXT_NODE) {
          child.textContent.split("\n").forEach((part, k) => {
            if (k > 0) lines.push({prompt: "", text: ""});
            lines[lines.length - 1].text += part;
          });
        } else if (child.nodeType !== Node.ELEMENT_NODE) {
          continue;
        } else if (child.classList.contains("gp")) {
          lines[lines.length - 1].prompt += child.textContent;
        } else {
          read(child);
        }
      }
    };
    read(block.querySelector("code"));
    return {
      firstLine: lines[0].prompt + lines[0].text,
      hasCopyButton: !!block.querySelector("button.md-code__button[data-md-type=copy]"),
      code: lines.filter(line => line.prompt).map(line => line.text),
    };
  });
}
