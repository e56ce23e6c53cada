import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { createAccount } from '../support/accounts.js';
import { connectSocket, emitAck, type ClientSocket } from '../support/sockets.js';
import { createRoom } from '../support/rooms.js';
import type { Room } from '../../contracts/rooms.js';
import { slowViewerLimits } from '../../server/features/danmaku/frame-writer.js';

/**
 * A viewer that stops reading. It speaks Engine.IO long-polling by hand, so the
 * test decides exactly when it is ready for data: between two GETs the server has
 * nowhere to write, which is what a stalled phone or a saturated link looks like.
 */
class PollingViewer {
  private sid = '';
  private nextAck = 1;

  constructor(private readonly url: string) {}

  private endpoint(): string {
    return `${this.url}/socket.io/?EIO=4&transport=polling${this.sid ? `&sid=${this.sid}` : ''}`;
  }

  /** One GET: whatever the server queued for this viewer, as Engine.IO packets. */
  async poll(): Promise<string[]> {
    const res = await fetch(this.endpoint());
    if (!res.ok) throw new Error(`poll answered ${res.status}`);
    return (await res.text()).split('\x1e');
  }

  private async post(packet: string): Promise<void> {
    const res = await fetch(this.endpoint(), { method: 'POST', body: packet, headers: { 'content-type': 'text/plain;charset=UTF-8' } });
    if (!res.ok) throw new Error(`post answered ${res.status}`);
  }

  /** Polls until a packet matches (answering pings), and returns it. */
  private async until(match: (packet: string) => boolean): Promise<string> {
    for (let i = 0; i < 20; i++) {
      for (const packet of await this.poll()) {
        if (packet === '2') await this.post('3');
        if (match(packet)) return packet;
      }
    }
    throw new Error('the expected packet never came');
  }

  async connect(): Promise<void> {
    const [open] = await this.poll();
    this.sid = JSON.parse(open.slice(1)).sid;
    await this.post('40');
    await this.until((p) => p.startsWith('40'));
  }

  /** Emits with an ack, then returns every packet the server had queued up to and including the ack. */
  async drainWith(event: string, payload: object): Promise<string[]> {
    const id = this.nextAck++;
    await this.post(`42${id}${JSON.stringify([event, payload])}`);
    const packets: string[] = [];
    for (let i = 0; i < 20 && !packets.some((p) => p.startsWith(`43${id}[`)); i++) packets.push(...(await this.poll()));
    return packets;
  }

  /** Emits with an ack and polls until the ack arrives. */
  async request(event: string, payload: object): Promise<any> {
    const id = this.nextAck++;
    await this.post(`42${id}${JSON.stringify([event, payload])}`);
    const ack = await this.until((p) => p.startsWith(`43${id}[`));
    return JSON.parse(ack.slice(`43${id}`.length))[0];
  }
}

/** The danmaku:batch frames among Engine.IO packets. */
const batches = (packets: string[]) =>
  packets.filter((p) => p.startsWith('42[')).map((p) => JSON.parse(p.slice(2))).filter(([event]) => event === 'danmaku:batch').map(([, batch]) => batch);

let app: TestApp;
let room: Room;
const sockets: ClientSocket[] = [];

beforeAll(async () => {
  app = await startTestApp({ env: { DANMAKU_USER_INTERVAL_MS: '0', DANMAKU_DISPLAY_CAP_PER_S: '1000', DANMAKU_TICK_MS: '50', DANMAKU_PER_IP_PER_10S: '1000' } });
  room = await createRoom(app, await createAccount(app, 'moderator'), { agoMs: 10_000 });
});
afterAll(async () => {
  for (const s of sockets) s.close();
  await app?.stop();
});

describe('viewers on the long-polling fallback', () => {
  it('one that stops reading misses frames past a small bound, nothing more queues up for it, and it gets the next frame once it reads again', async () => {
    const sender = await connectSocket(app.url, { token: (await createAccount(app)).token });
    const reader = await connectSocket(app.url);
    sockets.push(sender, reader);
    const slow = new PollingViewer(app.url);
    await slow.connect();
    const joined = await slow.request('room:join', { roomId: room.id });
    expect(joined.ok, JSON.stringify(joined)).toBe(true);
    expect((await emitAck(reader, 'room:join', { roomId: room.id })).ok).toBe(true);

    // The slow viewer stops polling; comments go out one per tick, far more frames than the bound.
    const seen = new Set<string>();
    reader.on('danmaku:batch', (batch: { items: Array<{ text: string }> }) => {
      for (const d of batch.items) seen.add(d.text);
    });
    const texts = Array.from({ length: 3 * slowViewerLimits.maxQueuedPackets }, (_, i) => `stalled-${i}`);
    for (const text of texts) {
      expect((await emitAck(sender, 'danmaku:send', { roomId: room.id, text })).ok).toBe(true);
      await new Promise((r) => setTimeout(r, 70));
    }
    // The viewer that reads gets every one of them.
    await expect.poll(() => seen.size, { timeout: 10_000 }).toBe(texts.length);

    // What waited for the stalled viewer (up to the answer to a clock ping it sends now) is
    // bounded: at most the limit's worth of packets, the earliest frames in order, the rest missed.
    const backlog = await slow.drainWith('clock:ping', { t0: Date.now() });
    expect(backlog.some((p) => p.startsWith('43'))).toBe(true);
    const kept = batches(backlog).flatMap((b) => b.items.map((d: { text: string }) => d.text));
    expect(batches(backlog).length).toBeGreaterThan(0);
    expect(batches(backlog).length).toBeLessThanOrEqual(slowViewerLimits.maxQueuedPackets);
    expect(kept).toEqual(texts.slice(0, kept.length));
    expect(kept.length).toBeLessThan(texts.length);

    // It is still in the room: once it reads again (a GET is waiting), the next frame reaches it.
    const pending = slow.poll();
    await new Promise((r) => setTimeout(r, 100));
    expect((await emitAck(sender, 'danmaku:send', { roomId: room.id, text: 'you are back' })).ok).toBe(true);
    let received = batches(await pending);
    for (let i = 0; i < 5 && !received.some((b) => b.items.some((d: { text: string }) => d.text === 'you are back')); i++) received = batches(await slow.poll());
    expect(received.flatMap((b) => b.items.map((d: { text: string }) => d.text))).toContain('you are back');
  });

  it('one that keeps polling gets every frame, also those sent while no GET was waiting', async () => {
    const sender = await connectSocket(app.url, { token: (await createAccount(app)).token });
    sockets.push(sender);
    const viewer = new PollingViewer(app.url);
    await viewer.connect();
    expect((await viewer.request('room:join', { roomId: room.id })).ok).toBe(true);

    // A phone on a slow link: each GET comes back, and the next one reaches the server 150 ms later.
    const seen: string[] = [];
    let reading = true;
    const loop = (async () => {
      while (reading) {
        for (const batch of batches(await viewer.poll())) seen.push(...batch.items.map((d: { text: string }) => d.text));
        await new Promise((r) => setTimeout(r, 150));
      }
    })();
    const texts = Array.from({ length: 30 }, (_, i) => `polling-${i}`);
    for (const text of texts) {
      expect((await emitAck(sender, 'danmaku:send', { roomId: room.id, text })).ok).toBe(true);
      await new Promise((r) => setTimeout(r, 15 + (text.length % 4) * 10));
    }
    try {
      await expect.poll(() => seen.filter((t) => t.startsWith('polling-')).length, { timeout: 10_000 }).toBe(texts.length);
      expect(seen.filter((t) => t.startsWith('polling-'))).toEqual(texts);
    } finally {
      reading = false;
      // One more comment ends the loop's last GET.
      await emitAck(sender, 'danmaku:send', { roomId: room.id, text: 'bye' });
      await loop;
    }
  });
});
