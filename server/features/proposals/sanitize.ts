import sanitizeHtml from 'sanitize-html';

/**
 * The only formatting a proposal keeps: paragraphs, line breaks, bold, italic, lists,
 * quotes and http(s) links, which get rel="nofollow ugc" and open safely. Scripts,
 * event handlers, styles, images, iframes and javascript: URLs are removed before the
 * body is stored, so what is stored is safe to render as HTML.
 */
const OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: ['p', 'br', 'b', 'strong', 'i', 'em', 'ul', 'ol', 'li', 'blockquote', 'a'],
  allowedAttributes: { a: ['href', 'rel', 'target'] },
  allowedSchemes: ['http', 'https'],
  allowedSchemesAppliedToAttributes: ['href'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  // Text inside removed dangerous tags goes with them.
  nonTextTags: ['script', 'style', 'textarea', 'option', 'noscript', 'iframe', 'object', 'embed', 'svg', 'math'],
  transformTags: {
    a: (tagName, attribs) => ({
      tagName,
      attribs: { ...(attribs.href ? { href: attribs.href } : {}), rel: 'nofollow ugc noopener', target: '_blank' },
    }),
  },
};

/**
 * C0 control characters but tab, line feed and carriage return, and DEL: a browser's HTML
 * parser drops NUL from text, and Postgres refuses it in a text column (an internal error
 * for the author). Pasted text carries the others (vertical tab, backspace) invisibly.
 */
const CONTROLS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;

export function sanitizeProposalBody(html: string): string {
  // A lone surrogate (half a character) becomes U+FFFD, as a browser would show it.
  return sanitizeHtml(html.replace(CONTROLS, '').replace(/\p{Cs}/gu, '\uFFFD'), OPTIONS).trim();
}

/** Plain text of a sanitised body, for moderation, duplicate detection and CSV export. */
export function plainTextOf(html: string): string {
  return sanitizeHtml(html.replace(/<\/(p|li|blockquote)>|<br\s*\/?>/gi, '$&\n'), { allowedTags: [], allowedAttributes: {} })
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/[ \t]+/g, ' ')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
