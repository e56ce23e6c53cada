import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { databaseFor, isolation } from '../support/app.js';
import { openDatabase, type Database } from '../../server/db/database.js';
import { transaction } from '../../server/db/transaction.js';

/**
 * A TCP relay in front of Postgres that can cut a connection the moment it next
 * carries a statement: what a pooled connection looks like when Postgres restarted or
 * failed over while the connection sat idle, the next BEGIN being the first to notice.
 */
async function startRelay(target: URL) {
  const links = new Set<{ client: net.Socket; upstream: net.Socket }>();
  let armed = false;
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port), target.hostname);
    const link = { client, upstream };
    links.add(link);
    client.on('data', (chunk) => {
      if (armed) {
        armed = false;
        client.destroy();
        upstream.destroy();
        return;
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk) => client.write(chunk));
    const drop = () => (client.destroy(), upstream.destroy(), links.delete(link));
    client.on('close', drop).on('error', drop);
    upstream.on('close', drop).on('error', drop);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  const url = new URL(target.href);
  url.hostname = '127.0.0.1';
  url.port = String(port);
  return {
    url: url.href,
    /** The next statement on any connection finds it closed. */
    cutNextStatement: () => (armed = true),
    close: () => new Promise<void>((resolve) => (links.forEach((l) => l.client.destroy()), server.close(() => resolve()))),
  };
}

let database: { url: string; release(): Promise<void> };
let relay: Awaited<ReturnType<typeof startRelay>>;
let db: Database;

beforeAll(async () => {
  const { DATABASE_SCHEMA } = isolation('tx');
  database = await databaseFor(DATABASE_SCHEMA);
  relay = await startRelay(new URL(database.url));
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
