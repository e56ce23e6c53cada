import { z } from 'zod';
import { filterText, plainText } from './text.js';

/** What a matched term does: block rejects, hold shows it only to its sender until reviewed, censor masks it. */
export const termActions = ['block', 'hold', 'censor'] as const;
export const TermAction = z.enum(termActions);
export type TermAction = z.infer<typeof TermAction>;

export const BlockedTerm = z.strictObject({ term: plainText(1, 64), action: TermAction });
export type BlockedTerm = z.infer<typeof BlockedTerm>;

/** The verdict of the term filter on one text. */
export interface TermVerdict {
  /** The strongest action among the hits, or allow. Precedence: block > hold > censor. */
  action: 'allow' | TermAction;
  hits: Array<{ term: string; action: TermAction; start: number; end: number }>;
  /** The text with every hit masked: one asterisk per original character. */
  censored: string;
}

export const RoomSettingsInput = z.strictObject({
  /** Minimum gap between two danmaku of one fan in this room (staff exempt); 0 = the default per-user limit only. */
  slowModeMs: z.number().int().min(0).max(10 * 60_000).default(0),
  /** Accounts younger than this cannot send danmaku here. */
  minAccountAgeMs: z.number().int().min(0).max(365 * 86_400_000).default(0),
  /** 0 off, 1 term lists, 2 + spam signals (links, floods of one character), 3 + hold every link and new accounts' text. */
  automodLevel: z.number().int().min(0).max(3).default(1),
  blockedTerms: z.array(BlockedTerm).max(2000).default([]),
});
export type RoomSettings = z.output<typeof RoomSettingsInput>;

export const GlobalTermsInput = z.strictObject({ terms: z.array(BlockedTerm).max(5000) });
export const TermTestInput = z.strictObject({ text: z.string().max(10_000), roomId: z.uuid().optional() });

export const moderationActions = ['hide', 'restore', 'approve', 'reject', 'mute', 'unmute', 'ban', 'unban', 'shadow_mute'] as const;
export const targetTypes = ['danmaku', 'proposal', 'user'] as const;

/** Which actions apply to which target. */
export const actionsByTarget: Record<(typeof targetTypes)[number], readonly (typeof moderationActions)[number][]> = {
  danmaku: ['hide', 'restore', 'approve', 'reject'],
  proposal: ['hide', 'restore', 'approve', 'reject'],
  user: ['mute', 'unmute', 'ban', 'unban', 'shadow_mute'],
};

export const ModerationActionInput = z
  .strictObject({
    targetType: z.enum(targetTypes),
    targetId: z.uuid(),
    action: z.enum(moderationActions),
    reason: plainText(1, 500),
    /** For mute, ban and shadow_mute: 10 s up to a year; omitted means permanent. */
    durationMs: z.number().int().min(10_000).max(365 * 86_400_000).optional(),
    /** For user actions: limit the sanction to this room; omitted means everywhere. */
    roomId: z.uuid().optional(),
  })
  .refine((a) => actionsByTarget[a.targetType].includes(a.action), { message: 'this action does not apply to this target', path: ['action'] });
export type ModerationActionInput = z.output<typeof ModerationActionInput>;

export const ReportInput = z.strictObject({
  targetType: z.enum(targetTypes),
  targetId: z.uuid(),
  reason: z.enum(['spam', 'abuse', 'spoiler', 'hate', 'sexual', 'impersonation', 'other']),
});

export const QueueQuery = z.strictObject({
  type: z.enum(targetTypes).optional(),
  roomId: z.uuid().optional(),
  ip: filterText(80).optional(),
  status: z.enum(['open', 'all']).default('open'),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const BulkQueueInput = z.strictObject({
  items: z.array(z.strictObject({ targetType: z.enum(['danmaku', 'proposal']), targetId: z.uuid() })).min(1).max(200),
  action: z.enum(['approve', 'remove']),
  reason: plainText(1, 500),
});

export const AppealInput = z.strictObject({ actionId: z.uuid(), text: plainText(1, 2000) });
export const AppealDecisionInput = z.strictObject({ decision: z.enum(['uphold', 'reverse']), reply: plainText(1, 2000) });

/** One item waiting for a moderator. */
export interface QueueItem {
  targetType: 'danmaku' | 'proposal' | 'user';
  targetId: string;
  roomId: string | null;
  ip: string | null;
  /** Why it waits: held by a term or signal, or reported. */
  kind: 'held' | 'reported';
  reasons: string[];
  reports: number;
  preview: string;
  authorId: string | null;
  since: string;
}
