import type { Danmaku } from '../../../contracts/danmaku.js';
import type { LotusServer } from '../../realtime/types.js';
import { notFound } from '../../errors.js';
import type { DanmakuStore } from './store.js';
import type { DanmakuStreams, DanmakuState } from './stream.js';

/**
 * Staff actions on danmaku. A hide is marked in Redis first (for comments the workers
 * have not written yet), then in Postgres, then retracted from every viewer on every
 * server process; the replay filters it from then on.
 */
export function createDanmakuModeration(deps: { store: DanmakuStore; streams: DanmakuStreams; io: LotusServer; channel: (roomId: string) => string }) {
  const { store, streams, io } = deps;

  /** Finds a danmaku and its state, whether or not the workers have written it yet. */
  async function locate(id: string): Promise<{ danmaku: Danmaku; state: DanmakuState }> {
    const persisted = await store.byId(id);
    if (persisted) {
      const { state, ...d } = persisted;
      return { danmaku: d, state: (await streams.stateOf(id)) ?? state };
    }
    const recent = await streams.recentById(id);
    if (!recent) throw notFound('danmaku');
    return { danmaku: recent, state: (await streams.stateOf(id)) ?? 'visible' };
  }

  return {
    locate,

    async hide(id: string): Promise<Danmaku> {
      const { danmaku } = await locate(id);
      await streams.markState(id, 'hidden');
      await store.setState([id], 'hidden');
      io.to(deps.channel(danmaku.roomId)).emit('danmaku:retract', { roomId: danmaku.roomId, ids: [id] });
      return danmaku;
    },

    /** Makes a hidden or held comment visible again; a held one is also shown live now, as AutoMod's "allow" does. */
    async restore(id: string): Promise<Danmaku> {
      const { danmaku, state } = await locate(id);
      await streams.markState(id, 'visible');
      await store.setState([id], 'visible');
      if (state === 'held') {
        const { held: _held, ...shown } = danmaku;
        await streams.publish(shown);
      }
      return danmaku;
    },
  };
}

export type DanmakuModeration = ReturnType<typeof createDanmakuModeration>;
