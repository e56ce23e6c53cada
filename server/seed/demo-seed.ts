import type { Role } from '../../contracts/auth.js';
import type { Deps } from '../deps.js';
import { createAuth } from '../features/auth/index.js';
import { createRooms } from '../features/rooms/index.js';
import { seedDemoContent } from './demo-content.js';

/** The demo logins `npm run demo` prints. Demo only: never used when NODE_ENV=production. */
export const DEMO_ACCOUNTS: Array<{ handle: string; password: string; role: Role; displayName: string }> = [
  { handle: 'demo_fan', password: 'lotus-demo-fan', role: 'fan', displayName: '小莲 Lotus fan' },
  { handle: 'demo_mod', password: 'lotus-demo-mod', role: 'moderator', displayName: 'Mod Mei' },
  { handle: 'demo_writer', password: 'lotus-demo-writer', role: 'writer', displayName: 'Writer Wen' },
  { handle: 'demo_admin', password: 'lotus-demo-admin', role: 'admin', displayName: 'Admin An' },
];

export const DEMO_VIDEO = { url: '/media/demo-premiere.mp4', durationMs: 180_000 };

/**
 * Seeds one account per role and three premieres of the "Lotus Saga": one live now,
 * one replay and one upcoming. Safe to run again: accounts are reset, and a new live
 * premiere is added only when none is live.
 */
export async function seedDemo(deps: Deps & { jwtSecret: string }, progress: (msg: string) => void = () => undefined) {
  const auth = createAuth(deps);
  const rooms = createRooms(deps);
  const total = DEMO_ACCOUNTS.length + 1;
  let step = 0;
  let admin;
  const fans = [];
  for (const a of DEMO_ACCOUNTS) {
    const user = await auth.service.ensureAccount(a.handle, a.password, a.role, a.displayName);
    if (a.role === 'admin') admin = user;
    fans.push(user);
    progress(`[${++step}/${total}] account ${a.handle} (${a.role})`);
  }
  const existing = await rooms.service.list();
  const now = deps.clock.now();
  const base = { ip: 'Lotus Saga 莲之传说', videoUrl: DEMO_VIDEO.url, durationMs: DEMO_VIDEO.durationMs };
  const wanted = [
    { status: 'live', title: 'Lotus Saga E01 premiere · 首映', startsAt: now - 5_000 },
    { status: 'ended', title: 'Lotus Saga E00 prologue (replay) · 回放', startsAt: now - 86_400_000 },
    { status: 'scheduled', title: 'Lotus Saga E02 premiere · 下周首映', startsAt: now + 7 * 86_400_000 },
  ] as const;
  for (const w of wanted) {
    if (!existing.some((r) => r.status === w.status)) {
      const room = await rooms.service.create({ ...base, title: w.title, startsAt: new Date(w.startsAt).toISOString() }, admin!.id);
      if (w.status === 'ended') await seedDemoContent(deps, room, fans);
    }
  }
  progress(`[${++step}/${total}] premieres: live, replay, upcoming`);
}
