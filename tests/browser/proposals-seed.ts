import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import type { Role } from '../../contracts/auth.js';
import { login, type Account } from '../support/accounts.js';
import { ADMIN, type TestApp } from '../support/app.js';
import { eventually } from '../support/workers.js';

/**
 * Realistic proposals for the screenshots: Chinese and English ideas by several
 * fans, a day of vote history with opt-in audience profiles, a near-duplicate,
 * and writers' answers on some.
 */

const ideas: Array<{ author: number; title: string; body: string; tags: string[] }> = [
  {
    author: 0,
    title: '阿梅没有死：第七集湖面的倒影就是线索',
    body: '<p>第七集结尾，湖面上闪过的倒影<b>分明是阿梅的发簪</b>。如果她在坠崖后被渔夫救起，第二季就可以从她的视角重新讲一遍那场大火。</p><ul><li>发簪在第三集出现过</li><li>渔夫的船上有她的斗篷</li></ul>',
    tags: ['阿梅', '第二季'],
  },
  {
    author: 1,
    title: 'Wen crosses the frozen lotus pond in the winter finale',
    body: '<p>The whole season builds toward the old temple. What if the pond <i>freezes overnight</i> and Wen has to cross it alone, hearing her mother\'s lullaby under the ice?</p><blockquote>The lotus sleeps under the ice, but it remembers the sun.</blockquote>',
    tags: ['wen', 'finale'],
  },
  {
    author: 2,
    title: '给反派师父一集完整的回忆篇',
    body: '<p>师父的背叛一直缺少动机。用一整集讲他年轻时在青莲山的经历：他也曾是<b>最被看好的弟子</b>，却被掌门亲手废去了武功。</p>',
    tags: ['师父', '回忆'],
  },
  {
    author: 3,
    title: 'A soundtrack episode: the duel told only through the erhu theme',
    body: '<p>No dialogue for the entire rooftop duel — just the erhu theme, rain, and the danmaku lighting up. It would be the most talked-about ten minutes of the season.</p>',
    tags: ['music'],
  },
  {
    author: 4,
    title: '小狐狸的身世：她才是真正的掌门继承人',
    body: '<p>小狐狸手腕上的莲花印记和掌门的一模一样。如果她是失踪多年的继承人，整个门派的权力斗争就会彻底反转。</p>',
    tags: ['小狐狸', '身世'],
  },
  {
    author: 5,
    title: 'Give the ferryman a name and a backstory',
    body: '<p>He has carried every main character across the river at least once. Let him be the one who <b>saw the fire start</b>.</p>',
    tags: ['ferryman'],
  },
  {
    author: 1,
    title: '番外：七年后的茶馆重逢',
    body: '<p>正片结束七年后，所有人在山脚的茶馆偶遇。不需要打斗，只要一壶茶和几句迟到的道歉。</p>',
    tags: ['番外'],
  },
];

const regions = ['华东', '华南', '华北', 'Overseas', '西南'];
const genders = ['female', 'female', 'male', 'nonbinary', null];

async function register(app: TestApp, displayName: string): Promise<Account> {
  const handle = `seed_${randomUUID().slice(0, 8)}`;
  const password = 'correct-horse-battery';
  const res = await app.http.post('/api/auth/register').send({ handle, password, displayName });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return { user: res.body.user, token: res.body.token, password, bearer: `Bearer ${res.body.token}` };
}

/**
 * Inserts `count` votes by audience members with opt-in profiles: a wave after the
 * premiere `premiereHoursAgo` hours ago that fades, and a smaller second wave.
 */
async function history(app: TestApp, proposalId: string, count: number, supportShare: number, roomIds: string[], premiereHoursAgo: number) {
  const now = Date.now();
  for (let i = 0; i < count; i++) {
    const userId = randomUUID();
    const u = (i * 0.618034) % 1;
    const second = i % 4 === 3;
    const hoursAfter = (second ? premiereHoursAgo / 2 : 0) + Math.floor(-Math.log(1 - u * 0.95) * (second ? 2 : 3.5));
    const at = new Date(now - Math.max(0.2, premiereHoursAgo - hoursAfter) * 3_600_000 + ((i * 997) % 3_000_000));
    const value = (i * 37) % 100 < supportShare * 100 ? 1 : -1;
    await app.deps.db.pool.query('insert into proposal_votes (proposal_id, user_id, value, new_account, created_at) values ($1, $2, $3, false, $4)', [proposalId, userId, value, at]);
    await app.deps.db.pool.query('insert into profiles (user_id, birth_year, region, gender) values ($1, $2, $3, $4)', [userId, 1988 + (i % 19), regions[i % regions.length], genders[i % genders.length]]);
    for (const roomId of roomIds.slice(0, i % 2 === 0 ? 2 : 1)) {
      await app.deps.db.pool.query('insert into room_views (room_id, user_id) values ($1, $2) on conflict do nothing', [roomId, userId]);
    }
  }
}

/** An account with a display name that has been around for a month (its votes are not flagged as a new account's). */
export async function veteran(app: TestApp, displayName: string, role: Role = 'fan'): Promise<Account> {
  const account = await register(app, displayName);
  await app.deps.db.pool.query(`update users set created_at = now() - interval '30 days' where id = $1`, [account.user.id]);
  if (role !== 'fan') {
    const admin = await login(app, ADMIN.handle, ADMIN.password);
    await app.http.patch(`/api/users/${account.user.id}/role`).set('Authorization', `Bearer ${admin.token}`).send({ role }).expect(200);
  }
  return account;
}

/** Seeds the franchise `ip` and returns the ids, most supported first. */
export async function seedProposals(app: TestApp, ip: string, roomIds: string[], writer: Account): Promise<string[]> {
  const names = ['林小满', 'Mira Chen', '周一白', 'Jonah K.', '苏苏', '阿澈'];
  const authors = await Promise.all(names.map((n) => veteran(app, n)));
  const ids: string[] = [];
  for (const idea of ideas) {
    const res = await app.http.post('/api/proposals').set('Authorization', authors[idea.author].bearer).send({ ip, title: idea.title, body: idea.body, tags: idea.tags, roomId: roomIds[0], atOffsetMs: (ids.length * 373 + 120) * 1000 });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    ids.push(res.body.proposal.id);
  }
  for (const id of ids) {
    await eventually(async () => (await app.http.get(`/api/proposals/${id}`).set('Authorization', writer.bearer)).body.proposal?.status === 'approved', 15_000);
  }
  // Pitched over the day before, as during a real premiere week.
  for (const [i, id] of ids.entries()) {
    await app.deps.db.pool.query(`update proposals set created_at = now() - make_interval(hours => $2) where id = $1`, [id, 30 - i * 3]);
  }
  // A near-copy of the first idea: held by moderation and linked to it as a duplicate.
  const copy = ideas[0];
  await app.http.post('/api/proposals').set('Authorization', authors[5].bearer).send({ ip, title: '阿梅还活着！湖面倒影是线索', body: copy.body.replace('渔夫救起', '渔夫所救'), tags: copy.tags });

  const plan = [
    [ids[0], 64, 0.86],
    [ids[1], 48, 0.79],
    [ids[2], 36, 0.55],
    [ids[3], 27, 0.9],
    [ids[4], 22, 0.5],
    [ids[5], 12, 0.75],
  ] as const;
  const voter = await veteran(app, '观众 A');
  for (const [i, [id, count, share]] of plan.entries()) {
    await history(app, id, count, share, roomIds, 26 - i * 3);
    // A real vote recounts the totals and schedules scoring.
    expect((await app.http.post(`/api/proposals/${id}/vote`).set('Authorization', voter.bearer).send({ value: 1 })).status).toBe(200);
  }
  // One fresh account's vote: the writers see it flagged.
  await app.http.post(`/api/proposals/${ids[4]}/vote`).set('Authorization', (await register(app, '新来的')).bearer).send({ value: -1 }).expect(200);
  for (const [id] of plan) {
    await eventually(async () => (await app.http.get(`/api/proposals/${id}`)).body.proposal?.status === 'in_review', 15_000);
  }
  const answer = (id: string, decision: string, feedback: string, rubric?: object) =>
    app.http.post(`/api/writers/proposals/${id}/decision`).set('Authorization', writer.bearer).send({ decision, feedback, rubric }).expect(200);
  await answer(ids[3], 'accept', 'We love this. The rooftop duel in episode 9 will be scored to the erhu theme, no dialogue.', { originality: 5, fit: 4, feasibility: 4 });
  await answer(ids[2], 'shortlist', '师父的回忆篇我们正在认真讨论，可能放在第二季中段。', { originality: 4, fit: 5, feasibility: 3 });
  return ids;
}
