import { z } from 'zod';
import { filterText, plainText } from './text.js';

export const proposalStatuses = ['pending', 'approved', 'held', 'rejected', 'in_review', 'shortlisted', 'accepted', 'declined', 'merged'] as const;
export type ProposalStatus = (typeof proposalStatuses)[number];

/** Body HTML is at most this long before sanitising; anything longer is refused, not truncated. */
export const PROPOSAL_BODY_MAX = 20_000;

export const SubmitProposalInput = z.strictObject({
  ip: plainText(1, 80),
  title: plainText(1, 120),
  /** Rich text as HTML; only the allow-list survives (paragraphs, breaks, bold, italic, lists, quotes, http(s) links). */
  body: z.string().min(1).max(PROPOSAL_BODY_MAX),
  tags: z.array(plainText(1, 24)).max(5).default([]),
  roomId: z.uuid().optional(),
  atOffsetMs: z.number().int().min(0).max(12 * 3600 * 1000).optional(),
  idempotencyKey: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/).optional(),
});
export type SubmitProposalInput = z.input<typeof SubmitProposalInput>;

export const ProposalVoteInput = z.strictObject({ value: z.union([z.literal(1), z.literal(-1), z.literal(0)]) });

const Score = z.number().int().min(1).max(5);
export const DecisionInput = z.strictObject({
  decision: z.enum(['shortlist', 'accept', 'decline']),
  feedback: plainText(1, 4000),
  rubric: z.strictObject({ originality: Score, fit: Score, feasibility: Score }).optional(),
});
export const MergeInput = z.strictObject({ intoId: z.uuid() });

export const ProposalListQuery = z.strictObject({
  ip: filterText(80).optional(),
  sort: z.enum(['top', 'hot', 'new', 'controversial']).default('hot'),
  status: z.enum(proposalStatuses).optional(),
  tag: filterText(24).optional(),
  mine: z.enum(['1', 'true']).optional(),
  roomId: z.uuid().optional(),
  /** Writers: proposals pinned to a moment of a premiere between these offsets. */
  fromMs: z.coerce.number().int().min(0).optional(),
  toMs: z.coerce.number().int().min(0).optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

export const ExportQuery = z.strictObject({ format: z.enum(['csv', 'json']).default('json'), ip: filterText(80).optional() });

export const PollFromProposalsInput = z.strictObject({
  roomId: z.uuid(),
  ip: plainText(1, 80),
  count: z.number().int().min(2).max(6).default(3),
  durationMs: z.number().int().min(10_000).max(30 * 60_000).default(120_000),
  question: plainText(1, 200).default('What happens next?'),
});

export interface ProposalDecision {
  decision: 'shortlist' | 'accept' | 'decline';
  feedback: string;
  rubric: { originality: number; fit: number; feasibility: number } | null;
  by: string;
  at: string;
}

export interface Proposal {
  id: string;
  ip: string;
  title: string;
  /** Sanitised HTML: safe to render as HTML. */
  body: string;
  tags: string[];
  authorId: string;
  authorName: string;
  status: ProposalStatus;
  reasons: string[];
  supporters: number;
  opponents: number;
  scores: { top: number; hot: number; controversy: number };
  duplicateOf: string | null;
  decision: ProposalDecision | null;
  roomId: string | null;
  atOffsetMs: number | null;
  createdAt: string;
  /** Everyone credited: the author and the authors of proposals merged into this one. */
  contributors?: Array<{ id: string; name: string }>;
  /** Staff only: signals such as new-account votes and vote bursts. */
  flags?: string[];
  /**
   * The signed-in caller's own vote (1 support, -1 oppose, null none) in list, detail and
   * vote answers; absent from broadcasts, which go to many viewers at once.
   */
  myVote?: 1 | -1 | null;
}
