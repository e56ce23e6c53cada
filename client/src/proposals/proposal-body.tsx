import type { Proposal } from '../../../contracts/proposals.js';

/**
 * The proposal's body. The server keeps only an allow-list of tags (paragraphs,
 * breaks, bold, italic, lists, quotes, http(s) links with rel="nofollow ugc")
 * before storing it, so this is the one place in the app that renders HTML.
 * Every other text, the title included, is rendered as text.
 */
export function ProposalBody({ proposal, clamp = false }: { proposal: Proposal; clamp?: boolean }) {
  return (
    <div
      class={clamp ? 'pbody pbody--clamp' : 'pbody'}
      data-testid="proposal-body"
      // Sanitised by the server before it was stored (server/features/proposals/sanitize.ts).
      dangerouslySetInnerHTML={{ __html: proposal.body }}
    />
  );
}
