import { sql, type SQL } from 'drizzle-orm';
import type { z } from 'zod';
import type { QueueItem, QueueQuery } from '../../../contracts/moderation.js';
import type { Db } from '../../db/database.js';

/**
 * One review queue, Discourse-style: held danmaku, held proposals and everything with
 * open reports, oldest first, each with the reasons it is waiting. `status=all` also
 * lists targets whose reports staff have already answered (`reports` counts only the
 * open ones, so an answered target shows 0).
 */
export async function readQueue(db: Db, q: z.output<typeof QueueQuery>): Promise<QueueItem[]> {
  const filters: SQL[] = [sql`true`];
  if (q.type) filters.push(sql`target_type = ${q.type}`);
  if (q.roomId) filters.push(sql`room_id = ${q.roomId}`);
  if (q.ip) filters.push(sql`ip = ${q.ip}`);
  const openOnly = q.status === 'open';
  const { rows } = await db.execute(sql`
    with reported as (
      select target_type, target_id, (count(distinct reporter_id) filter (where status = 'open'))::int as reports,
        min(created_at) as since, jsonb_agg(distinct 'report:' || reason) as reasons
      from reports group by target_type, target_id
      having ${!openOnly} or bool_or(status = 'open')
    ),
    items as (
      select 'danmaku' as target_type, d.id as target_id, d.room_id, null::text as ip,
        case when d.state = 'held' then 'held' else 'reported' end as kind,
        d.reasons || coalesce(r.reasons, '[]'::jsonb) as reasons, coalesce(r.reports, 0) as reports,
        d.text as preview, d.user_id as author_id, coalesce(least(r.since, d.created_at), d.created_at) as since
      from danmaku d left join reported r on r.target_type = 'danmaku' and r.target_id = d.id
      where d.state = 'held' or (r.reports is not null and (${!openOnly} or d.state in ('visible', 'hidden')))
      union all
      select 'proposal', p.id, p.room_id, p.ip,
        case when p.status = 'held' then 'held' else 'reported' end,
        p.reasons || coalesce(r.reasons, '[]'::jsonb), coalesce(r.reports, 0),
        p.title, p.author_id, coalesce(least(r.since, p.created_at), p.created_at)
      from proposals p left join reported r on r.target_type = 'proposal' and r.target_id = p.id
      where p.status = 'held' or r.reports is not null
      union all
      select 'user', u.id, null, null, 'reported', r.reasons, r.reports, u.display_name, u.id, r.since
      from reported r join users u on r.target_type = 'user' and u.id = r.target_id
    )
    select * from items where ${sql.join(filters, sql` and `)} order by since asc limit ${q.limit}`);
  return rows.map((r) => ({
    targetType: r.target_type as QueueItem['targetType'],
    targetId: String(r.target_id),
    roomId: (r.room_id as string | null) ?? null,
    ip: (r.ip as string | null) ?? null,
    kind: r.kind as QueueItem['kind'],
    reasons: (r.reasons as string[]) ?? [],
    reports: Number(r.reports),
    preview: String(r.preview ?? ''),
    authorId: (r.author_id as string | null) ?? null,
    since: new Date(r.since as string).toISOString(),
  }));
}
