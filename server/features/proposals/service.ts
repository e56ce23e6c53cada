import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { DecisionInput, ProposalListQuery, SubmitProposalInput, Proposal } from '../../../contracts/proposals.js';
import type { User } from '../../../contracts/auth.js';
import { ErrorCode } from '../../../contracts/errors.js';
import { AppError, notFound } from '../../errors.js';
import type { Limiter } from '../../rate-limit.js';
import type { Queues } from '../../queues.js';
import type { AuditLog } from '../moderation/audit.js';
import type { Sanctions } from '../moderation/sanctions.js';
import type { ProposalStore, ProposalRow } from './store.js';
import type { ProposalNotifier } from './notify.js';
import { plainTextOf, sanitizeProposalBody } from './sanitize.js';
import { PUBLIC_STATUSES, toProposal } from './view.js';
import { cursorOf, listingSql } from './listing.js';

const STAFF = new Set(['moderator', 'admin', 'writer']);
const NEW_ACCOUNT_MS = 7 * 86_400_000;
const DECISION_STATUS = { shortlist: 'shortlisted', accept: 'accepted', decline: 'declined' } as const;

export interface ProposalServiceDeps {
  store: ProposalStore;
  queues: Queues;
  notify: ProposalNotifier;
  audit: AuditLog;
  submitLimit: Limiter;
  voteLimit: Limiter;
  sanctions: Pick<Sanctions, 'assertNotBanned'>;
  now: () => number;
}

/** Submitting, reading, voting, and the writers' decisions and merges. */
export function createProposalService(deps: ProposalServiceDeps) {
  const { store } = deps;
  const isStaff = (u: User | null) => u !== null && STAFF.has(u.role);

  async function visible(id: string, viewer: User | null): Promise<ProposalRow> {
    const row = await store.byId(id);
    const mayRead = row && ((PUBLIC_STATUSES as readonly string[]).includes(row.status) || isStaff(viewer) || row.authorId === viewer?.id);
    if (!row || !mayRead) throw notFound('proposal');
    return row;
  }

  return {
    async submit(user: User, input: z.output<typeof SubmitProposalInput>): Promise<{ proposal: Proposal; created: boolean }> {
      if (input.idempotencyKey) {
        const first = await store.byIdempotencyKey(user.id, input.idempotencyKey);
        if (first) return { proposal: toProposal(first), created: false };
      }
      await deps.sanctions.assertNotBanned(user.id, input.roomId ?? null);
      const body = sanitizeProposalBody(input.body);
      const plain = plainTextOf(body);
      if (!plain) throw new AppError(ErrorCode.VALIDATION_FAILED, 'the body has no text once formatting is removed', [{ path: 'body', message: 'write some text' }]);
      await deps.submitLimit.consume(user.id);
      const { row, created } = await store.insert({
        id: randomUUID(),
        ip: input.ip,
        title: input.title,
        body,
        plain,
        tags: [...new Set(input.tags.map((t) => t.toLowerCase()))],
        authorId: user.id,
        authorName: user.displayName,
        roomId: input.roomId ?? null,
        atOffsetMs: input.atOffsetMs ?? null,
        idempotencyKey: input.idempotencyKey ?? null,
      });
      // The job id makes a second enqueue of the same proposal a no-op.
      if (created) await deps.queues.proposalModeration.add('moderate', { proposalId: row.id }, { jobId: `moderate-${row.id}` });
      return { proposal: toProposal(row), created };
    },

    async get(id: string, viewer: User | null): Promise<Proposal> {
      const row = await visible(id, viewer);
      const mine = viewer ? await store.votesBy(viewer.id, [row.id]) : new Map();
      return toProposal(row, { contributors: await store.contributors(row.id), staff: isStaff(viewer), myVote: mine.get(row.id) ?? null });
    },

    async list(q: z.output<typeof ProposalListQuery>, viewer: User | null) {
      const { where, order } = listingSql(q, viewer ? { id: viewer.id, staff: isStaff(viewer) } : null);
      const rows = await store.list(where, order, q.limit + 1);
      const page = rows.slice(0, q.limit);
      const mine = viewer ? await store.votesBy(viewer.id, page.map((r) => r.id)) : new Map<string, 1 | -1>();
      return {
        items: page.map((r) => toProposal(r, { staff: isStaff(viewer), myVote: mine.get(r.id) ?? null })),
        nextCursor: rows.length > q.limit ? cursorOf(page[page.length - 1], q.sort) : null,
      };
    },

    async vote(user: User, id: string, value: 1 | -1 | 0): Promise<Proposal> {
      await deps.voteLimit.consume(user.id);
      const row = await visible(id, user);
      await deps.sanctions.assertNotBanned(user.id, row.roomId);
      if (!['approved', 'in_review', 'shortlisted'].includes(row.status)) {
        throw new AppError(ErrorCode.CONFLICT, `votes are closed on a ${row.status} proposal`);
      }
      const newAccount = deps.now() - Date.parse(user.createdAt) < NEW_ACCOUNT_MS;
      const updated = await store.vote(id, user.id, value, newAccount);
      if (!updated) throw notFound('proposal');
      await deps.queues.scoreSoon(id);
      return toProposal(updated, { myVote: value === 0 ? null : value });
    },

    async decide(writer: User, id: string, input: z.output<typeof DecisionInput>): Promise<Proposal> {
      const row = await visible(id, writer);
      const decision = { decision: input.decision, feedback: input.feedback, rubric: input.rubric ?? null, by: writer.id, at: new Date(deps.now()).toISOString() };
      const updated = await store.transitionAudited(
        id,
        ['approved', 'in_review', 'shortlisted'],
        { status: DECISION_STATUS[input.decision], decision },
        { actorId: writer.id, action: input.decision, reason: input.feedback.slice(0, 500), details: { rubric: input.rubric ?? null } },
      );
      if (!updated) throw new AppError(ErrorCode.CONFLICT, `a ${row.status} proposal cannot be decided`);
      await deps.notify.toAuthor(updated);
      await deps.notify.toRoom(updated);
      await deps.queues.scoreSoon(id);
      return toProposal(updated);
    },

    async merge(writer: User, fromId: string, intoId: string): Promise<Proposal> {
      if (fromId === intoId) throw new AppError(ErrorCode.MERGE_INTO_SELF, 'a proposal cannot merge into itself', [{ path: 'intoId', message: 'choose another proposal' }]);
      const [from, into] = await Promise.all([visible(fromId, writer), visible(intoId, writer)]);
      if (from.ip !== into.ip) throw new AppError(ErrorCode.MERGE_ACROSS_FRANCHISES, `proposals of different franchises cannot merge (${from.ip} into ${into.ip})`);
      const result = await store.merge(fromId, intoId);
      if ('refused' in result) throw mergeRefusal(result.refused, result.mergedInto);
      await deps.audit.record({ actorId: writer.id, action: 'merge', targetType: 'proposal', targetId: fromId, roomId: from.roomId, reason: `merged into ${intoId}`, details: { intoId } });
      const source = await store.byId(fromId);
      if (source) await deps.notify.toAuthor(source);
      await deps.queues.scoreSoon(intoId);
      return toProposal(result.merged, { contributors: await store.contributors(intoId) });
    },

    /** Enough reports: back to held, out of public view, until a moderator reviews it. */
    async holdForReview(id: string, reporters: number): Promise<boolean> {
      const row = await store.transitionAudited(id, [...PUBLIC_STATUSES].filter((s) => s !== 'merged'), { status: 'held' }, {
        actorId: null,
        action: 'hide',
        reason: `held until reviewed: ${reporters} reports`,
        details: { automatic: true, reporters },
      });
      if (row) await deps.notify.toAuthor(row);
      return Boolean(row);
    },

    /** Staff actions from the moderation feature: hide rejects a proposal, restore approves it. */
    moderationTarget: {
      async hide(id: string) {
        const row = await store.transition(id, ['pending', 'approved', 'in_review', 'shortlisted', 'held'], { status: 'rejected' });
        if (!row) throw notFound('proposal');
        await deps.notify.toAuthor(row);
        return { roomId: row.roomId };
      },
      async restore(id: string) {
        const row = await store.transition(id, ['pending', 'held', 'rejected'], { status: 'approved' });
        if (!row) throw notFound('proposal');
        await deps.notify.toAuthor(row);
        await deps.queues.scoreSoon(id);
        return { roomId: row.roomId };
      },
    },
  };
}

/** A merge refused under the row locks; `mergedInto` tells the writer where the proposal went. */
function mergeRefusal(reason: 'source_merged' | 'target_merged' | 'target_rejected', mergedInto: string | null): AppError {
  switch (reason) {
    case 'source_merged':
      return new AppError(ErrorCode.MERGE_SOURCE_ALREADY_MERGED, 'this proposal was already merged', { mergedInto });
    case 'target_merged':
      return new AppError(ErrorCode.MERGE_TARGET_MERGED, 'that proposal was itself merged; merge into the one it went to', { mergedInto });
    case 'target_rejected':
      return new AppError(ErrorCode.MERGE_TARGET_REJECTED, 'a rejected proposal cannot take merges');
    default: {
      const never: never = reason;
      throw new Error(`unknown merge refusal ${never}`);
    }
  }
}

export type ProposalService = ReturnType<typeof createProposalService>;
