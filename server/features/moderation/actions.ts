import type { ModerationActionInput } from '../../../contracts/moderation.js';
import type { User } from '../../../contracts/auth.js';
import { forbidden } from '../../errors.js';
import type { AuditLog } from './audit.js';
import type { Sanctions } from './sanctions.js';
import type { Reports } from './reports.js';

/** What another feature does when staff act on one of its targets (danmaku, proposals). */
export interface ContentTarget {
  hide(id: string): Promise<{ roomId?: string | null }>;
  /** Makes hidden or held content visible again. */
  restore(id: string): Promise<{ roomId?: string | null }>;
}

/**
 * Staff actions on content and users. Every action writes one audit row; content
 * actions go to the owning feature through `targets`, user actions become sanctions
 * that every server process reads at the user's next message.
 */
export function createModerationActions(deps: {
  audit: AuditLog;
  sanctions: Sanctions;
  reports: Reports;
  targets: Partial<Record<'danmaku' | 'proposal', ContentTarget>>;
  userById: (id: string) => Promise<User>;
}) {
  async function onContent(input: ModerationActionInput) {
    const target = deps.targets[input.targetType as 'danmaku' | 'proposal'];
    if (!target) throw forbidden(`${input.targetType} moderation is not available`);
    const visible = input.action === 'restore' || input.action === 'approve';
    const { roomId } = visible ? await target.restore(input.targetId) : await target.hide(input.targetId);
    await deps.reports.resolve(input.targetType, input.targetId, visible ? 'dismissed' : 'resolved');
    return { roomId: roomId ?? input.roomId ?? null, details: {} };
  }

  async function onUser(actor: User, input: ModerationActionInput) {
    const target = await deps.userById(input.targetId);
    if (target.role === 'admin' || (target.role === 'moderator' && actor.role !== 'admin')) throw forbidden('staff can only be sanctioned by an admin');
    const roomId = input.roomId ?? null;
    switch (input.action) {
      case 'mute':
      case 'ban':
      case 'shadow_mute': {
        const s = await deps.sanctions.impose({ userId: target.id, kind: input.action, roomId, durationMs: input.durationMs ?? null, createdBy: actor.id, reason: input.reason });
        return { roomId, details: { sanctionId: s.id, expiresAt: s.expiresAt } };
      }
      case 'unmute':
        return { roomId, details: { lifted: await deps.sanctions.lift(target.id, ['mute', 'shadow_mute'], roomId) } };
      case 'unban':
        return { roomId, details: { lifted: await deps.sanctions.lift(target.id, ['ban'], roomId) } };
      default:
        throw forbidden('this action does not apply to users');
    }
  }

  return {
    async act(actor: User, input: ModerationActionInput) {
      const outcome = input.targetType === 'user' ? await onUser(actor, input) : await onContent(input);
      // Acting on an account answers the reports against it, so it leaves the review queue.
      if (input.targetType === 'user') await deps.reports.resolve('user', input.targetId, 'resolved');
      const id = await deps.audit.record({
        actorId: actor.id,
        action: input.action,
        targetType: input.targetType,
        targetId: input.targetId,
        roomId: outcome.roomId,
        reason: input.reason,
        details: { ...outcome.details, ...(input.durationMs ? { durationMs: input.durationMs } : {}) },
      });
      return { id, ...input, roomId: outcome.roomId, ...outcome.details };
    },
  };
}

export type ModerationActions = ReturnType<typeof createModerationActions>;
