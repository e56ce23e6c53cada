import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { login } from '../support/accounts.js';
import { seedDemo, DEMO_ACCOUNTS } from '../../server/seed/demo-seed.js';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app?.stop());

describe('the demo seed', () => {
  it('creates one account per role, a live premiere, a replay full of comments, an upcoming one, and proposals; running it twice changes nothing', async () => {
    const steps: string[] = [];
    await seedDemo({ ...app.deps, jwtSecret: app.config.LOTUS_JWT_SECRET! }, (m) => steps.push(m));
    await seedDemo({ ...app.deps, jwtSecret: app.config.LOTUS_JWT_SECRET! });
    expect(steps.at(-1)).toMatch(/\[5\/5\]/);
    for (const a of DEMO_ACCOUNTS) expect((await login(app, a.handle, a.password)).user.role).toBe(a.role);
    const rooms = (await app.http.get('/api/rooms')).body.rooms;
    expect(rooms.map((r: any) => r.status).sort()).toEqual(['ended', 'live', 'scheduled']);
    const replay = rooms.find((r: any) => r.status === 'ended');
    const density = (await app.http.get(`/api/rooms/${replay.id}/density?bucketMs=10000`)).body.counts;
    expect(density.reduce((a: number, b: number) => a + b, 0)).toBe(240);
    expect(Math.max(...density)).toBeGreaterThan(3 * Math.min(...density)); // it has high-energy moments
    const board = (await app.http.get(`/api/proposals?ip=${encodeURIComponent(replay.ip)}`)).body.items;
    expect(board).toHaveLength(3);
  });
});
