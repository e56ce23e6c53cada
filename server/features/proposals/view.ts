import type { Proposal, ProposalDecision } from '../../../contracts/proposals.js';
import type { ProposalRow } from './store.js';

/** Statuses anyone may see; the rest (pending, held, rejected) only their author and staff. */
export const PUBLIC_STATUSES = ['approved', 'in_review', 'shortlisted', 'accepted', 'declined', 'merged'] as const;

export function toProposal(row: ProposalRow, extra: { contributors?: Proposal['contributors']; staff?: boolean; myVote?: Proposal['myVote'] } = {}): Proposal {
  const p: Proposal = {
    id: row.id,
    ip: row.ip,
    title: row.title,
    body: row.body,
    tags: row.tags,
    authorId: row.authorId,
    authorName: row.authorName,
    status: row.status,
    reasons: row.reasons,
    supporters: row.supporters,
    opponents: row.opponents,
    scores: { top: row.scoreTop, hot: row.scoreHot, controversy: row.scoreControversy },
    duplicateOf: row.duplicateOf,
    decision: (row.decision as ProposalDecision | null) ?? null,
    roomId: row.roomId,
    atOffsetMs: row.atOffsetMs,
    createdAt: row.createdAt.toISOString(),
  };
  if (extra.contributors) p.contributors = extra.contributors;
  if (extra.staff) p.flags = row.flags;
  if (extra.myVote !== undefined) p.myVote = extra.myVote;
  return p;
}
