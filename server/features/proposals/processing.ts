import type { Logger } from 'pino';
import type { AuditLog } from '../moderation/audit.js';
import type { Rules } from '../moderation/rules.js';
import type { Queues } from '../../queues.js';
import type { ProposalRow, ProposalStore } from './store.js';
import type { ProposalNotifier } from './notify.js';
import { countLinks, decide, signatureOf } from './automod.js';
import { bandBuckets } from './lsh.js';
import { controversyScore, hotScore, wilsonLowerBound } from './scoring.js';

const NEW_ACCOUNT_MS = 7 * 86_400_000;
const BURST_WINDOW_MS = 10 * 60_000;
const BURST_NEW_ACCOUNT_VOTES = 20;
/** The sweep looks at proposals active in the last day, at most this many (newest activity first). */
const RESCORE_WINDOW_MS = 86_400_000;
const RESCORE_LIMIT = 5_000;

const scoresOf = (row: ProposalRow) => ({
  scoreTop: wilsonLowerBound(row.supporters, row.opponents),
  scoreHot: hotScore(row.supporters, row.opponents, row.createdAt.getTime()),
  scoreControversy: controversyScore(row.supporters, row.opponents),
});

/**
 * What the proposal workers do, written once and run by the workers' processors:
 * moderation of a new proposal and scoring after votes and decisions. Each decision
 * is a conditional transition, so a job that runs twice records it once.
 */
export function createProposalProcessing(deps: {
  store: ProposalStore;
  rules: Rules;
  audit: AuditLog;
  notify: ProposalNotifier;
  queues: Queues;
  userCreatedAt: (userId: string) => Promise<number | null>;
  threshold: number;
  now: () => number;
  log: Logger;
}) {
  const { store } = deps;

  return {
    async moderate(proposalId: string) {
      const row = await store.byId(proposalId);
      if (!row) return { decided: false, reason: 'gone' };
      if (row.status !== 'pending') return { decided: false, status: row.status };
      const createdAt = await deps.userCreatedAt(row.authorId);
      const signature = signatureOf(row.title, row.plain);
      const buckets = bandBuckets(signature);
      const decision = decide(
        {
          title: row.title,
          plain: row.plain,
          linkCount: countLinks(row.body),
          authorRecentCount: await store.authorRecentCount(row.authorId, new Date(deps.now() - 3_600_000)),
          authorIsNew: createdAt === null || deps.now() - createdAt < NEW_ACCOUNT_MS,
          signature,
          others: await store.duplicateCandidates(row.ip, row.id, buckets),
        },
        await deps.rules.matcherFor(row.roomId),
      );
      const decided = await store.transitionAudited(
        row.id,
        ['pending'],
        { status: decision.status, reasons: decision.reasons, duplicateOf: decision.duplicateOf, minhash: decision.minhash },
        {
          actorId: null,
          action: decision.status === 'approved' ? 'approve' : decision.status === 'held' ? 'hold' : 'reject',
          reason: decision.reasons.join(', ') || 'passed automatic moderation',
          details: { automatic: true, duplicateOf: decision.duplicateOf },
        },
        buckets,
      );
      if (!decided) return { decided: false, status: 'already decided' };
      await deps.notify.toAuthor(decided);
      await deps.notify.toRoom(decided);
      if (decided.status === 'held') await deps.notify.toStaff(decided);
      await deps.queues.scoreSoon(row.id);
      return { decided: true, status: decision.status, reasons: decision.reasons };
    },

    async score(proposalId: string) {
      const row = await store.byId(proposalId);
      if (!row) return { scored: false };
      const flags = new Set(row.flags);
      if (row.newAccountVotes > 0) flags.add('new_account_votes');
      const burst = await store.recentNewAccountVotes(row.id, new Date(deps.now() - BURST_WINDOW_MS));
      const newBurst = burst >= BURST_NEW_ACCOUNT_VOTES && !flags.has('vote_burst');
      if (newBurst) flags.add('vote_burst');
      const updated = await store.update(row.id, { ...scoresOf(row), flags: [...flags] });
      if (newBurst) {
        await deps.audit.record({ actorId: null, action: 'flag', targetType: 'proposal', targetId: row.id, roomId: row.roomId, reason: `vote burst: ${burst} new-account votes in 10 minutes`, details: { automatic: true } });
      }
      const threshold = await store.supportThreshold(row.ip, deps.threshold);
      if (row.status === 'approved' && row.supporters >= threshold) {
        const inReview = await store.transitionAudited(row.id, ['approved'], { status: 'in_review' }, { actorId: null, action: 'in_review', reason: `reached ${threshold} supporters`, details: { automatic: true } });
        if (inReview) {
          await deps.notify.toAuthor(inReview);
          await deps.notify.toRoom(inReview);
          return { scored: true, status: 'in_review' };
        }
      }
      if (updated) await deps.notify.toRoom(updated);
      return { scored: true, status: row.status };
    },

    /**
     * The repeatable sweep: rescores every recently active open proposal whose stored
     * scores differ from what its counts give now, or that sits at its franchise's
     * threshold without having moved to review (a scoring job lost for good, a formula
     * or threshold changed since). Proposals already right are left alone and not re-broadcast.
     */
    async rescoreActive() {
      const rows = await store.recentlyActive(new Date(deps.now() - RESCORE_WINDOW_MS), RESCORE_LIMIT);
      const thresholds = new Map<string, number>();
      let rescored = 0;
      for (const row of rows) {
        if (!thresholds.has(row.ip)) thresholds.set(row.ip, await store.supportThreshold(row.ip, deps.threshold));
        const want = scoresOf(row);
        const stale =
          Math.abs(want.scoreTop - row.scoreTop) > 1e-9 || Math.abs(want.scoreHot - row.scoreHot) > 1e-7 || Math.abs(want.scoreControversy - row.scoreControversy) > 1e-9;
        const due = row.status === 'approved' && row.supporters >= thresholds.get(row.ip)!;
        if (!stale && !due) continue;
        await this.score(row.id);
        rescored++;
      }
      return { checked: rows.length, rescored };
    },
  };
}

export type ProposalProcessing = ReturnType<typeof createProposalProcessing>;
