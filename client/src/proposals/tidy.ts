const BLOCKS = new Set(['P', 'UL', 'OL', 'BLOCKQUOTE', 'DIV']);

/**
 * Tidies what the browser's contenteditable produced before it is sent: loose
 * text and inline runs at the top level go into paragraphs, a paragraph that
 * wraps lists or quotes (browsers nest them) is unwrapped, <div> lines become
 * paragraphs, and empty paragraphs go. Works on an inert <template>, so nothing
 * in it loads or runs. The server still sanitises whatever arrives.
 */
export function tidyHtml(html: string): string {
  const template = document.createElement('template');
  template.innerHTML = html;
  const root = template.content;

  for (const div of [...root.querySelectorAll('div')]) {
    const p = document.createElement('p');
    p.append(...div.childNodes);
    div.replaceWith(p);
  }
  for (const p of [...root.querySelectorAll('p')]) {
    if ([...p.children].some((c) => BLOCKS.has(c.tagName))) p.replaceWith(...p.childNodes);
  }

  let run: HTMLParagraphElement | null = null;
  for (const node of [...root.childNodes]) {
    const block = node instanceof Element && BLOCKS.has(node.tagName);
    if (block) {
      run = null;
      continue;
    }
    if (!run) {
      run = document.createElement('p');
      root.insertBefore(run, node);
    }
    run.append(node);
  }

  for (const p of [...root.querySelectorAll('p, li, blockquote')]) {
    const text = (p.textContent ?? '').replace(/\u00a0/g, ' ').trim();
    if (!text && !p.querySelector('li')) p.remove();
  }
  const out = document.createElement('div');
  out.append(root);
  return out.innerHTML;
}
