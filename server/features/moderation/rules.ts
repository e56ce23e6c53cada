import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import { eq, sql } from 'drizzle-orm';
import { RoomSettingsInput, type BlockedTerm, type RoomSettings } from '../../../contracts/moderation.js';
import type { Db } from '../../db/database.js';
import { transaction } from '../../db/transaction.js';
import { globalTerms, roomSettings } from '../../db/schema.js';
import { compileTerms, type TermMatcher } from './terms/index.js';
import { createReadCache } from '../../read-cache.js';

const DEFAULTS: RoomSettings = RoomSettingsInput.parse({});

/**
 * Room rules and the global term list, changed live. Each server process keeps them
 * for at most `ttlMs` (one second), so a change reaches every process within a
 * second without a restart or a message bus; busy rooms refresh them in the background
 * and never wait, and while Postgres is away the last reading stays in force
 * (read-cache.ts). Compiled matchers are rebuilt only when a list actually changed.
 */
export function createRules(deps: { db: Db; now: () => number; ttlMs?: number; log?: Logger }) {
  const ttlMs = deps.ttlMs ?? 1_000;
  const onStale = (what: string) => (_key: unknown, err: Error) => deps.log?.warn({ err: err.message }, `${what} could not be read; the last reading stays in force`);
  const GLOBAL = 'global';
  const matchers = new Map<string, { stamp: string; matcher: TermMatcher }>();

  const settingsCache = createReadCache({
    now: deps.now,
    maxAgeMs: ttlMs,
    onStale: onStale('room rules'),
    async load(roomId: string) {
      const [row] = await deps.db.select().from(roomSettings).where(eq(roomSettings.roomId, roomId));
      const value: RoomSettings = row
        ? { slowModeMs: row.slowModeMs, minAccountAgeMs: row.minAccountAgeMs, automodLevel: row.automodLevel, blockedTerms: row.blockedTerms }
        : DEFAULTS;
      return { value, stamp: row ? row.updatedAt.toISOString() : 'default' };
    },
  });

  const globalCache = createReadCache({
    now: deps.now,
    maxAgeMs: ttlMs,
    onStale: onStale('the global term list'),
    async load(_key: typeof GLOBAL) {
      const rows = await deps.db.select().from(globalTerms);
      const terms = rows.map((r) => ({ term: r.term, action: r.action }));
      return { terms, stamp: createHash('sha1').update(JSON.stringify(terms)).digest('base64') };
    },
  });
  const loadSettings = (roomId: string) => settingsCache.get(roomId);
  const loadGlobal = () => globalCache.get(GLOBAL);

  async function matcherOf(roomId: string | null, room: { value: RoomSettings; stamp: string } | null): Promise<TermMatcher> {
    const global = await loadGlobal();
    const key = roomId ?? '(global)';
    const stamp = `${global.stamp}|${room?.stamp ?? ''}`;
    const hit = matchers.get(key);
    if (hit && hit.stamp === stamp) return hit.matcher;
    const matcher = compileTerms([...global.terms, ...(room?.value.blockedTerms ?? [])]);
    matchers.set(key, { stamp, matcher });
    return matcher;
  }

  return {
    async settingsOf(roomId: string): Promise<RoomSettings> {
      return (await loadSettings(roomId)).value;
    },

    async updateSettings(roomId: string, settings: RoomSettings): Promise<RoomSettings> {
      const values = { ...settings, updatedAt: new Date(deps.now()) };
      await deps.db.insert(roomSettings).values({ roomId, ...values }).onConflictDoUpdate({ target: roomSettings.roomId, set: values });
      settingsCache.invalidate(roomId);
      return settings;
    },

    async globalTerms(): Promise<BlockedTerm[]> {
      return (await loadGlobal()).terms;
    },

    async setGlobalTerms(terms: BlockedTerm[]): Promise<BlockedTerm[]> {
      const unique = [...new Map(terms.map((t) => [t.term, t])).values()];
      await transaction(deps.db, async (tx) => {
        // One replacement at a time: two at once each deleted the old list, and the second
        // insert then hit the first one's rows (a unique violation, answered 500). Readers
        // are not blocked by this lock mode; only another replacement waits.
        await tx.execute(sql`lock table ${globalTerms} in share row exclusive mode`);
        await tx.delete(globalTerms);
        if (unique.length) await tx.insert(globalTerms).values(unique);
      });
      globalCache.invalidate(GLOBAL);
      return unique;
    },

    /** The compiled global + room term matcher, rebuilt only when either list changed. */
    async matcherFor(roomId: string | null): Promise<TermMatcher> {
      return matcherOf(roomId, roomId ? await loadSettings(roomId) : null);
    },

    /**
     * A room's settings and term matcher from one reading, so one message is judged by
     * one version of the rules (read apart, a change in between could bring new terms
     * with the old slow mode).
     */
    async rulesFor(roomId: string): Promise<{ settings: RoomSettings; matcher: TermMatcher }> {
      const room = await loadSettings(roomId);
      return { settings: room.value, matcher: await matcherOf(roomId, room) };
    },
  };
}

export type Rules = ReturnType<typeof createRules>;
