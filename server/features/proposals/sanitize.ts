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

export function sanitizeProposalBody(html: string): string {
  return sanitizeHtml(html, OPTIONS).trim();
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
