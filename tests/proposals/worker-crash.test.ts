import { describe, expect, it } from 'vitest';
import { isolation, startTestApp } from '../support/app.js';
import { createAccount } from '../support/accounts.js';
import { spawnWorkers } from '../support/workers-process.js';
import { eventually } from '../support/workers.js';
import { allowance } from '../support/allowance.js';

describe('a moderation worker killed mid-job', () => {
  it('is restarted and every proposal gets exactly one decision and one audit row', async () => {
    const iso = isolation('crash');
    const app = await startTestApp({ shared: iso, env: { PROPOSALS_PER_HOUR: '10000' } });
    const env = { WORKERS_LOCK_MS: '1500', WORKERS_CONCURRENCY: '4' };
    try {
      const authors = await Promise.all(Array.from({ length: 4 }, () => createAccount(app)));
      const ids: string[] = [];
      for (let i = 0; i < 120; i++) {
        const res = await app.http
          .post('/api/proposals')
          .set('Authorization', authors[i % 4].bearer)
          .send({ ip: 'Crash Saga', title: `Proposal ${i}`, body: `<p>${Array.from({ length: 10 }, () => Math.random().toString(36).slice(2, 7)).join(' ')}</p>` });
        ids.push(res.body.proposal.id);
      }
      const count = async (sql: string) => Number((await app.deps.db.pool.query(sql, [ids])).rows[0].n);
      const decided = () => count(`select count(*) as n from proposals where id = any($1) and status <> 'pending'`);

      const first = await spawnWorkers(iso, env);
      await eventually(async () => (await decided()) > 0, 20_000);
      await first.kill();
      const afterKill = await decided();
      expect(afterKill).toBeLessThan(ids.length); // it really died mid-queue

      const second = await spawnWorkers(iso, env);
      try {
        await eventually(async () => (await decided()) === ids.length, 30_000);
      } finally {
        await second.stop();
      }
      const audits = await app.deps.db.pool.query(
        `select target_id, count(*)::int as n from audit_log where target_type = 'proposal' and actor_id is null and action in ('approve', 'hold', 'reject') and target_id = any($1::text[]) group by target_id`,
        [ids],
      );
      expect(audits.rows).toHaveLength(ids.length);
      expect(audits.rows.every((r) => r.n === 1)).toBe(true);
    } finally {
      await app.stop();
    }
  }, allowance(90_000));
});
