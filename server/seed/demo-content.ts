import { randomUUID } from 'node:crypto';
import type { User } from '../../contracts/auth.js';
import type { Room } from '../../contracts/rooms.js';
import type { Deps } from '../deps.js';
import { uuidv7 } from '../ids.js';
import { createDanmakuStore } from '../features/danmaku/index.js';
import { createProposalStore } from '../features/proposals/store.js';
import { sanitizeProposalBody, plainTextOf } from '../features/proposals/sanitize.js';
import { hotScore } from '../features/proposals/scoring.js';

const LINES = ['前方高能!!!', 'here we go', '233333', '这个配乐绝了', 'Mei is alive?!', '名场面', 'the lotus symbol again…', '泪目', 'who else is rewatching', '伏笔!'];
const COLORS = ['#ffffff', '#ffffff', '#ffd302', '#7ad7ff', '#ff7a9c'];

/**
 * Demo content so a first visit shows what Lotus does: comments across the replay's
 * timeline (denser at two "high-energy" moments) and a few proposals on the board.
 */
export async function seedDemoContent(deps: Deps, replay: Room, fans: User[]): Promise<void> {
  const store = createDanmakuStore(deps.db.orm);
  const items = [];
  for (let i = 0; i < 240; i++) {
    // Two peaks (around 0:45 and 2:10) over a steady murmur.
    const peak = i % 3 === 0 ? 45_000 : i % 3 === 1 ? 130_000 : Math.random() * replay.durationMs;
    const offsetMs = Math.max(0, Math.min(replay.durationMs - 1, Math.round(peak + (i % 3 === 2 ? 0 : (Math.random() - 0.5) * 16_000))));
    const author = fans[i % fans.length];
    items.push({
      danmaku: {
        id: uuidv7(deps.clock.now() - 86_400_000 + i),
        roomId: replay.id,
        userId: author.id,
        userName: author.displayName,
        text: LINES[i % LINES.length],
        mode: i % 17 === 0 ? ('top' as const) : ('scroll' as const),
        color: COLORS[i % COLORS.length],
        offsetMs,
        createdAt: new Date(deps.clock.now() - 86_400_000).toISOString(),
      },
      state: 'visible' as const,
      reasons: [],
    });
  }
  await store.insertBatch(items);

  const proposals = createProposalStore(deps.db.orm);
  const ideas = [
    ['Mei survives the fall', '<p>The shadow in the last frame is <b>Mei</b>. She returns in season two with the map.</p>'],
    ['莲池结冰，文穿过冰面', '<p>结局里莲池结冰，文穿过冰面去找母亲藏起来的<i>地图</i>。</p>'],
    ['An origin episode for An', '<ul><li>Where the lotus mark comes from</li><li>Why An left the temple</li></ul>'],
  ];
  for (const [i, [title, body]] of ideas.entries()) {
    const clean = sanitizeProposalBody(body);
    await proposals.insert({
      id: randomUUID(),
      ip: replay.ip,
      title,
      body: clean,
      plain: plainTextOf(clean),
      tags: ['season2'],
      authorId: fans[i % fans.length].id,
      authorName: fans[i % fans.length].displayName,
      status: 'approved',
      scoreHot: hotScore(0, 0, deps.clock.now()),
      idempotencyKey: `demo-seed-${i}`,
    });
  }
}
