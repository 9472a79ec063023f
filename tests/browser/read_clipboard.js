// The clipboard's text once it is no longer `before` (waits up to 1 s; null if it stays).
async before => {
  for (let tries = 0; tries < 50; tries++) {
    const text = await navigator.clipboard.readText();
    if (text !== before) return text;
    await new Promise(resolve => setTimeout(resolve, 20));
  }
  return null;
}
