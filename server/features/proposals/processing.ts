import type { Logger } from 'pino';
import type { AuditLog } from '../moderation/audit.js';
import type { Rules } from '../moderation/rules.js';
import type { Queues } from '../../queues.js';
import type { ProposalStore } from './store.js';
import type { ProposalNotifier } from './notify.js';
import { countLinks, decide } from './automod.js';
import { controversyScore, hotScore, wilsonLowerBound } from './scoring.js';

const NEW_ACCOUNT_MS = 7 * 86_400_000;
const BURST_WINDOW_MS = 10 * 60_000;
const BURST_NEW_ACCOUNT_VOTES = 20;

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
      const decision = decide(
        {
          title: row.title,
          plain: row.plain,
          linkCount: countLinks(row.body),
          authorRecentCount: await store.authorRecentCount(row.authorId, new Date(deps.now() - 3_600_000)),
          authorIsNew: createdAt === null || deps.now() - createdAt < NEW_ACCOUNT_MS,
          others: await store.signaturesOf(row.ip, row.id),
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
      const updated = await store.update(row.id, {
        scoreTop: wilsonLowerBound(row.supporters, row.opponents),
        scoreHot: hotScore(row.supporters, row.opponents, row.createdAt.getTime()),
        scoreControversy: controversyScore(row.supporters, row.opponents),
        flags: [...flags],
      });
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
  };
}

export type ProposalProcessing = ReturnType<typeof createProposalProcessing>;
