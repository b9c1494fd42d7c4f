/* global document, getComputedStyle, window, NodeFilter */
/**
 * Runs inside the console's page (page.evaluate): what a projector shows. For the panels named: are they shown and
 * wholly inside the viewport. For every visible text: does it stay inside the box that clips it (its panel, or a
 * box of its own that scrolls), how small is it, and how much contrast has it against what is behind it.
 * Deliberately shortened text (an ellipsis, with the whole text as its title) is not an overflow.
 */
// eslint-disable-next-line @typescript-eslint/no-unused-vars -- called by the page.evaluate that embeds this file
function projectorAudit(panelNames) {
  const viewport = { width: window.innerWidth, height: window.innerHeight };
  const rgb = (css) => {
    const m = css.match(/rgba?\(([^)]+)\)/);
    if (!m) return undefined;
    const [r, g, b, a = '1'] = m[1].split(/[ ,/]+/).filter(Boolean);
    return { r: +r, g: +g, b: +b, a: +a };
  };
  const luminance = ({ r, g, b }) => {
    const lin = (c) => ((c /= 255) <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
  };
  const background = (el) => {
    for (let node = el; node; node = node.parentElement) {
      const bg = rgb(getComputedStyle(node).backgroundColor);
      if (bg && bg.a > 0) return bg;
    }
    return { r: 255, g: 255, b: 255, a: 1 };
  };
  const scrolls = (el) => {
    const style = getComputedStyle(el);
    return { x: style.overflowX !== 'visible', y: style.overflowY !== 'visible' };
  };
  const clipBox = (el) => {
    for (let node = el; node; node = node.parentElement) {
      const s = scrolls(node);
      if (s.x || s.y || node.matches('.panel, header, #bar')) return node;
    }
    return document.body;
  };
  const describe = (el) =>
    `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.className && typeof el.className === 'string' ? `.${el.className.split(' ').join('.')}` : ''}`;

  const panels = panelNames.map((name) => {
    const el = document.querySelector(`[data-panel="${name}"]`);
    const box = el?.getBoundingClientRect();
    const shown = Boolean(el && !el.hidden && box.width > 0 && box.height > 0);
    return {
      name,
      shown,
      inViewport:
        shown &&
        box.left >= -0.5 &&
        box.top >= -0.5 &&
        box.right <= viewport.width + 0.5 &&
        box.bottom <= viewport.height + 0.5,
      box: box && { left: box.left, top: box.top, right: box.right, bottom: box.bottom },
      overflowsSideways: Boolean(el && el.scrollWidth > el.clientWidth + 1),
      scrollsInside: Boolean(el && el.scrollHeight > el.clientHeight + 1),
      firstItemInside: (() => {
        const first = el?.querySelector('tbody tr, li');
        if (!first) return undefined;
        const r = first.getBoundingClientRect();
        return (
          r.top >= box.top - 0.5 &&
          r.bottom <= box.bottom + 0.5 &&
          r.left >= box.left - 0.5 &&
          r.right <= box.right + 0.5
        );
      })(),
    };
  });

  const overflows = [];
  const fonts = [];
  const lowContrast = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let text = walker.nextNode(); text; text = walker.nextNode()) {
    const el = text.parentElement;
    if (!el || !text.textContent.trim() || el.closest('script, style, noscript')) continue;
    const folded = el.closest('details:not([open])');
    if (folded && !el.closest('summary')) continue; // inside a closed <details>: not shown
    const range = document.createRange();
    range.selectNodeContents(text);
    const rects = [...range.getClientRects()].filter((r) => r.width > 0 && r.height > 0);
    if (rects.length === 0 || el.getClientRects().length === 0) continue; // not displayed
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden') continue;
    const sample = text.textContent.trim().slice(0, 60);
    fonts.push({ px: parseFloat(style.fontSize), text: sample, where: describe(el) });
    const fg = rgb(style.color);
    const ratio =
      (Math.max(luminance(fg), luminance(background(el))) + 0.05) /
      (Math.min(luminance(fg), luminance(background(el))) + 0.05);
    if (ratio < 7) lowContrast.push({ ratio: Math.round(ratio * 100) / 100, text: sample, where: describe(el) });
    const clip = clipBox(el);
    const shortened = style.textOverflow === 'ellipsis' && el.title === el.textContent;
    if (shortened) continue;
    const box = clip.getBoundingClientRect();
    const s = scrolls(clip);
    const scrollsDown = s.y && clip.scrollHeight > clip.clientHeight + 1;
    for (const r of rects) {
      const sideways = r.left < box.left - 1 || r.right > box.right + 1;
      const down = !scrollsDown && (r.top < box.top - 1 || r.bottom > box.bottom + 1);
      if (sideways || down) {
        overflows.push({ text: sample, where: describe(el), clip: describe(clip) });
        break;
      }
    }
  }
  const minFont = fonts.reduce((min, f) => (f.px < min.px ? f : min), { px: Infinity });
  return {
    viewport,
    panels,
    overflows,
    minFont,
    lowContrast,
    pageScrolls: document.documentElement.scrollHeight > viewport.height + 1,
  };
}
