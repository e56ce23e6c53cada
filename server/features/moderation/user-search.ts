import { asc, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { User } from '../../../contracts/auth.js';
import type { Db } from '../../db/database.js';
import { users } from '../../db/schema.js';

/** `q` is an account id, or the start of a handle (`@` allowed, any case). */
export const UserLookupQuery = z.strictObject({
  q: z
    .string()
    .trim()
    .transform((s) => s.replace(/^@/, ''))
    .pipe(z.union([z.uuid(), z.string().regex(/^[a-zA-Z0-9_.-]{1,32}$/, 'an account id or the start of a handle')])),
  limit: z.coerce.number().int().min(1).max(50).default(20),
});

/**
 * Finds accounts for staff to open a user card: an exact id, or handles starting with
 * the text, shortest first (so `ann` finds `ann` before `anna_b`).
 */
export async function findUsers(db: Db, q: z.output<typeof UserLookupQuery>): Promise<User[]> {
  const byId = z.uuid().safeParse(q.q).success;
  // `_` is a LIKE wildcard and may appear in handles: escape it.
  const prefix = `${q.q.toLowerCase().replaceAll('_', '\\_')}%`;
  const rows = await db
    .select()
    .from(users)
    .where(byId ? eq(users.id, q.q) : sql`lower(${users.handle}) like ${prefix}`)
    .orderBy(sql`length(${users.handle})`, asc(users.handle))
    .limit(q.limit);
  return rows.map((r) => ({ id: r.id, handle: r.handle, displayName: r.displayName, role: r.role, createdAt: r.createdAt.toISOString() }));
}
