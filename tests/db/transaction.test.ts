import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { databaseFor, isolation } from '../support/app.js';
import { openDatabase, type Database } from '../../server/db/database.js';
import { transaction } from '../../server/db/transaction.js';
import { startPgRelay, type PgRelay } from '../support/pg-relay.js';

let database: { url: string; release(): Promise<void> };
let relay: PgRelay;
let db: Database;

beforeAll(async () => {
  const { DATABASE_SCHEMA } = isolation('tx');
  database = await databaseFor(DATABASE_SCHEMA);
  relay = await startPgRelay(database.url);
  // One connection, so a leaked one would leave nothing for the next query.
  db = openDatabase({ url: relay.url, schema: 'public', poolSize: 1, acquireTimeoutMs: 3_000 });
});
afterAll(async () => {
  await db?.close();
  await relay?.close();
  await database?.release();
});

describe('transactions', () => {
  it('commit, and roll back when the work throws', async () => {
    await db.pool.query('create temp table if not exists tx_probe (n int)');
    expect(await transaction(db.orm, async (tx) => (await tx.execute(sql`select 41 + 1 as n`)).rows[0].n)).toBe(42);
    await expect(
      transaction(db.orm, async (tx) => {
        await tx.execute(sql`insert into tx_probe values (1)`);
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    expect((await db.pool.query('select count(*)::int as c from tx_probe')).rows[0].c).toBe(0);
  });

  it('a BEGIN on a connection that died gives the connection back, and the next query runs', async () => {
    await db.pool.query('select 1'); // the pool's one connection, now idle
    relay.cutNextStatement();
    await expect(transaction(db.orm, async (tx) => tx.execute(sql`select 1`))).rejects.toThrow();
    // drizzle's own db.transaction leaked the connection here: this waited 3 s and failed.
    const after = await db.pool.query('select 2 as n');
    expect(after.rows[0].n).toBe(2);
    expect(await transaction(db.orm, async (tx) => (await tx.execute(sql`select 3 as n`)).rows[0].n)).toBe(3);
    expect(db.pool.totalCount).toBe(1);
  });
});
