import path from 'node:path';
import type { Page } from 'playwright-core';
import { emitAck, type ClientSocket } from '../support/sockets.js';

/** Bullet comments about the poll, for the screenshot's busy picture. */
const chatter = [
  { text: '内鬼肯定是文！', color: '#ffd302' },
  { text: 'Mei would never', color: '#ffffff' },
  { text: '投票投票', color: '#00a0ff' },
  { text: 'this twist tho', color: '#ff5c8a' },
  { text: '前方高能', color: '#fe0302' },
  { text: 'Team An all the way', color: '#a0ee00' },
  { text: '我选梅', color: '#ffffff' },
  { text: 'plot armour confirmed', color: '#ff7204' },
  { text: '哈哈哈哈', color: '#ffffff' },
];

/** The two screenshots: the live card over a busy picture, and the phone layout. */
export async function shootPolls({ wide, small, senders, roomId, dir }: { wide: Page; small: Page; senders: ClientSocket[]; roomId: string; dir: string }): Promise<void> {
  // Two waves, the second once the first has moved on, so the comments spread over the picture.
  const waves = [chatter.slice(0, 5), chatter.slice(5)];
  for (const wave of waves) {
    await Promise.all(wave.map((c, i) => emitAck(senders[i % senders.length], 'danmaku:send', { roomId, mode: 'scroll', ...c })));
    await wide.waitForFunction((text) => {
      const layer = document.querySelector('[data-testid=danmaku-layer]')!.getBoundingClientRect();
      const el = Array.from(document.querySelectorAll('[data-testid=danmaku-layer] .dm')).find((e) => e.textContent?.startsWith(text));
      return !!el && layer.right - el.getBoundingClientRect().right > layer.width * 0.3;
    }, wave.at(-1)!.text.normalize('NFKC'));
  }
  await wide.evaluate(() => {
    (document.activeElement as HTMLElement | null)?.blur();
    window.scrollTo(0, document.querySelector('.viewer__bar')!.getBoundingClientRect().top + window.scrollY - 78);
  });
  await wide.mouse.move(400, 420);
  await wide.screenshot({ path: path.join(dir, 'poll-live.png') });
  await small.locator('[data-testid=poll-option][data-option-id=o1]').click();
  await small.evaluate(() => {
    const bar = document.querySelector('.topbar')!.getBoundingClientRect().height;
    window.scrollTo(0, document.querySelector('.player')!.getBoundingClientRect().top + window.scrollY - bar);
  });
  await small.screenshot({ path: path.join(dir, 'poll-phone.png') });
}
