import { sql } from 'drizzle-orm';
import type { User } from '../../../contracts/auth.js';
import type { Db } from '../../db/database.js';
import type { Sanctions } from './sanctions.js';

/** Everything a moderator wants on one card before acting on an account. */
export async function readUserCard(deps: { db: Db; sanctions: Sanctions; now: number }, user: User) {
  const q = async (query: ReturnType<typeof sql>) => (await deps.db.execute(query)).rows;
  const [actions, reportsBy, reportsAgainst, danmaku, proposals, standing] = await Promise.all([
    q(sql`select id, actor_id, action, reason, room_id, details, at from audit_log
          where (target_type = 'user' and target_id = ${user.id})
             or (target_type = 'danmaku' and target_id in (select id::text from danmaku where user_id = ${user.id}))
             or (target_type = 'proposal' and target_id in (select id::text from proposals where author_id = ${user.id}))
          order by at desc limit 50`),
    q(sql`select target_type, target_id, reason, status, created_at from reports where reporter_id = ${user.id} order by created_at desc limit 20`),
    q(sql`select r.target_type, r.target_id, r.reason, r.status, r.created_at from reports r
          where (r.target_type = 'user' and r.target_id = ${user.id})
             or (r.target_type = 'danmaku' and r.target_id in (select id from danmaku where user_id = ${user.id}))
             or (r.target_type = 'proposal' and r.target_id in (select id from proposals where author_id = ${user.id}))
          order by r.created_at desc limit 20`),
    q(sql`select id, room_id, text, state, offset_ms, created_at from danmaku where user_id = ${user.id} order by created_at desc limit 20`),
    q(sql`select id, ip, title, status, supporters, created_at from proposals where author_id = ${user.id} order by created_at desc limit 20`),
    deps.sanctions.active(user.id, null),
  ]);
  return {
    user,
    accountAgeMs: deps.now - Date.parse(user.createdAt),
    standing,
    sanctions: await deps.sanctions.history(user.id),
    actions,
    reportsBy,
    reportsAgainst,
    recentDanmaku: danmaku,
    recentProposals: proposals,
  };
}
