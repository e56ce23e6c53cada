import { z } from 'zod';

/** Queue names and the payload each job carries; producers and processors share them. */
export const QueueName = {
  maintenance: 'maintenance',
  polls: 'polls',
  proposalModeration: 'proposal-moderation',
  proposalScoring: 'proposal-scoring',
} as const;
export type QueueName = (typeof QueueName)[keyof typeof QueueName];

export const MaintenanceJob = z.discriminatedUnion('name', [z.strictObject({ name: z.literal('sweep-presence') })]);
export type MaintenanceJob = z.infer<typeof MaintenanceJob>;

/** Opens a poll at its moment of the premiere, or closes it at its deadline; both are idempotent. */
export const PollJob = z.strictObject({ pollId: z.uuid(), action: z.enum(['open', 'close']) });
export type PollJob = z.infer<typeof PollJob>;

export const ProposalJob = z.strictObject({ proposalId: z.uuid() });
export type ProposalJob = z.infer<typeof ProposalJob>;

/**
 * Job names on the proposal-scoring queue: `score` (one proposal, payload ProposalJob)
 * and `rescore-active`, the repeatable sweep over recently active proposals (no payload).
 */
export const ScoringJobName = { score: 'score', rescoreActive: 'rescore-active' } as const;
