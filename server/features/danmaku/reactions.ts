import type { Danmaku } from '../../../contracts/danmaku.js';
import type { AuditLog } from '../moderation/audit.js';
import type { Reports } from '../moderation/reports.js';
import type { DanmakuModeration } from './moderate.js';
import type { DanmakuStore } from './store.js';

/**
 * What viewers do to others' comments: like them, and report them. Enough distinct
 * reporters hide a comment until staff review it; the hide is audited as Lotus' own action.
 */
export function createDanmakuReactions(deps: {
  store: DanmakuStore;
  moderation: DanmakuModeration;
  reports: Reports;
  audit: AuditLog;
  reportsToHide: number;
}) {
  return {
    async like(id: string, userId: string): Promise<{ id: string; likes: number }> {
      const { state } = await deps.moderation.locate(id);
      if (state !== 'visible') return { id, likes: 0 };
      return { id, likes: await deps.store.like(id, userId) };
    },

    async report(id: string, reporterId: string, reason: string): Promise<{ id: string; hidden: boolean }> {
      const { danmaku, state } = await deps.moderation.locate(id);
      const { openReporters } = await deps.reports.file({ targetType: 'danmaku', targetId: id, roomId: danmaku.roomId, reporterId, reason });
      if (state === 'visible' && openReporters >= deps.reportsToHide) {
        await hideForReview(danmaku, openReporters);
        return { id, hidden: true };
      }
      return { id, hidden: state === 'hidden' };
    },
  };

  async function hideForReview(danmaku: Danmaku, reporters: number) {
    await deps.moderation.hide(danmaku.id);
    await deps.audit.record({
      actorId: null,
      action: 'hide',
      targetType: 'danmaku',
      targetId: danmaku.id,
      roomId: danmaku.roomId,
      reason: `hidden until reviewed: ${reporters} reports`,
      details: { automatic: true, reporters },
    });
  }
}

export type DanmakuReactions = ReturnType<typeof createDanmakuReactions>;
