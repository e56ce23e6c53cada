import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/database.js';
import { users } from '../../db/schema.js';
import type { Role, User } from '../../../contracts/auth.js';
import { isUniqueViolation } from '../../db/sql-state.js';

type UserRow = typeof users.$inferSelect;

export function toUser(row: UserRow): User {
  return {
    id: row.id,
    handle: row.handle,
    displayName: row.displayName,
    role: row.role,
    createdAt: row.createdAt.toISOString(),
  };
}

/** SQL for accounts. Handles are unique regardless of case. */
export function createUserStore(db: Db) {
  return {
    /** Inserts a user; returns null when the handle is taken. */
    async insert(u: { id: string; handle: string; displayName: string; passwordHash: string; role: Role }): Promise<User | null> {
      try {
        const [row] = await db.insert(users).values(u).returning();
        return toUser(row);
      } catch (err) {
        if (isUniqueViolation(err)) return null;
        throw err;
      }
    },

    async byId(id: string): Promise<User | null> {
      const [row] = await db.select().from(users).where(eq(users.id, id));
      return row ? toUser(row) : null;
    },

    async credentialsByHandle(handle: string): Promise<{ user: User; passwordHash: string } | null> {
      const [row] = await db.select().from(users).where(sql`lower(${users.handle}) = lower(${handle})`);
      return row ? { user: toUser(row), passwordHash: row.passwordHash } : null;
    },

    async setRole(id: string, role: Role): Promise<User | null> {
      const [row] = await db.update(users).set({ role }).where(eq(users.id, id)).returning();
      return row ? toUser(row) : null;
    },

    async setPasswordAndRole(id: string, passwordHash: string, role: Role): Promise<void> {
      await db.update(users).set({ passwordHash, role }).where(eq(users.id, id));
    },
  };
}

export type UserStore = ReturnType<typeof createUserStore>;
