import { eq } from 'drizzle-orm';
import type { Profile } from '../../../contracts/polls.js';
import type { Db } from '../../db/database.js';
import { profiles } from '../../db/schema.js';

const EMPTY: Profile = { birthYear: null, region: null, gender: null };

/** Opt-in profile facts: every field may be left out or cleared with null. */
export function createProfileStore(db: Db, now: () => number) {
  return {
    async get(userId: string): Promise<Profile> {
      const [row] = await db.select().from(profiles).where(eq(profiles.userId, userId));
      return row ? { birthYear: row.birthYear, region: row.region, gender: row.gender } : EMPTY;
    },
    async update(userId: string, patch: Partial<Profile>): Promise<Profile> {
      const next = { ...(await this.get(userId)), ...patch };
      const values = { ...next, updatedAt: new Date(now()) };
      await db.insert(profiles).values({ userId, ...values }).onConflictDoUpdate({ target: profiles.userId, set: values });
      return next;
    },
  };
}

export type ProfileStore = ReturnType<typeof createProfileStore>;
