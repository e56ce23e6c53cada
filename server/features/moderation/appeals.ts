import { randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import type { User } from '../../../contracts/auth.js';
import type { ModerationActionInput } from '../../../contracts/moderation.js';
import { ErrorCode } from '../../../contracts/errors.js';
import type { Db } from '../../db/database.js';
import { appeals, auditLog } from '../../db/schema.js';
import { AppError, notFound } from '../../errors.js';
import type { RoomBroadcaster } from '../../realtime/relay.js';
import { userChannel } from '../../realtime/channels.js';
import type { ModerationActions } from './actions.js';

/** Mastodon's window: an action can be appealed for 20 days. */
const APPEAL_WINDOW_MS = 20 * 86_400_000;
const INVERSE: Record<string, ModerationActionInput['action'] | undefined> = {
  hide: 'restore',
  reject: 'restore',
  mute: 'unmute',
  shadow_mute: 'unmute',
  ban: 'unban',
};

/**
 * Appeals: one per action, only by the person it was taken against, answered by a
 * moderator who upholds it or reverses it — a reversal is itself an audited action.
 */
export function createAppeals(deps: { db: Db; actions: ModerationActions; broadcast: RoomBroadcaster; now: () => number }) {
  async function actionAgainst(actionId: string) {
    const [action] = await deps.db.select().from(auditLog).where(eq(auditLog.id, actionId));
    if (!action) throw notFound('action');
    const { rows } = await deps.db.execute(sql`
      select case
        when ${action.targetType} = 'user' then ${action.targetId}::uuid
        when ${action.targetType} = 'danmaku' then (select user_id from danmaku where id = ${action.targetId}::uuid)
        when ${action.targetType} = 'proposal' then (select author_id from proposals where id = ${action.targetId}::uuid)
      end as subject`);
    return { action, subject: rows[0]?.subject as string | null };
  }

  return {
    async file(user: User, input: { actionId: string; text: string }) {
      const { action, subject } = await actionAgainst(input.actionId);
      if (subject !== user.id) throw notFound('action'); // never confirm others' actions exist
      if (!INVERSE[action.action]) throw new AppError(ErrorCode.CONFLICT, 'this action cannot be appealed');
      if (deps.now() - action.at.getTime() > APPEAL_WINDOW_MS) throw new AppError(ErrorCode.CONFLICT, 'the appeal window (20 days) has passed');
      const [row] = await deps.db.insert(appeals).values({ id: randomUUID(), actionId: action.id, userId: user.id, text: input.text }).onConflictDoNothing().returning();
      if (!row) throw new AppError(ErrorCode.CONFLICT, 'this action has already been appealed');
      return row;
    },

    async mine(userId: string) {
      return deps.db.select().from(appeals).where(eq(appeals.userId, userId)).orderBy(sql`${appeals.createdAt} desc`).limit(100);
    },

    async open() {
      const { rows } = await deps.db.execute(sql`
        select a.*, l.action, l.target_type, l.target_id, l.reason as action_reason, l.at as action_at
        from appeals a join audit_log l on l.id = a.action_id where a.status = 'open' order by a.created_at asc limit 200`);
      return rows;
    },

    async decide(moderator: User, appealId: string, input: { decision: 'uphold' | 'reverse'; reply: string }) {
      const [appeal] = await deps.db.select().from(appeals).where(eq(appeals.id, appealId));
      if (!appeal) throw notFound('appeal');
      const { action } = await actionAgainst(appeal.actionId);
      const [decided] = await deps.db
        .update(appeals)
        .set({ status: input.decision === 'reverse' ? 'reversed' : 'upheld', reply: input.reply, decidedBy: moderator.id, decidedAt: new Date(deps.now()) })
        .where(and(eq(appeals.id, appealId), eq(appeals.status, 'open')))
        .returning();
      if (!decided) throw new AppError(ErrorCode.CONFLICT, 'this appeal has already been answered');
      if (input.decision === 'reverse') {
        await deps.actions.act(moderator, {
          targetType: action.targetType as ModerationActionInput['targetType'],
          targetId: action.targetId,
          action: INVERSE[action.action]!,
          reason: `appeal reversed: ${input.reply}`.slice(0, 500),
          roomId: action.roomId ?? undefined,
        });
      }
      await deps.broadcast.toRoom(userChannel(appeal.userId), 'appeal:update', { appeal: decided });
      return decided;
    },
  };
}

export type Appeals = ReturnType<typeof createAppeals>;
