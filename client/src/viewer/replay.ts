import type { Danmaku } from '../../../contracts/danmaku.js';
import { isAbort } from '../api.js';
import { getReplayWindow } from '../lotus-api.js';

/** Length of one replay window: comments load a minute of video at a time. */
export const WINDOW_MS = 60_000;
const PAGE_LIMIT = 1_000;
/** At most this many pages per window: a very busy minute is sampled, not loaded whole. */
const MAX_PAGES = 4;
const RETRY_AFTER_MS = 5_000;

/**
 * Loads a replay's stored comments around the play head: the current minute and
 * the next (so crossing into it never shows a gap), paging through `nextCursor`.
 * Windows more than one away are forgotten, so a two-hour replay keeps at most
 * three minutes of comments in memory; `keep()` tells which range to keep.
 */
export class ReplayLoader {
  private readonly windows = new Map<number, { controller: AbortController; done: boolean }>();
  private readonly failedAt = new Map<number, number>();

  constructor(
    private readonly roomId: string,
    private readonly durationMs: number,
    private readonly onItems: (items: Danmaku[]) => void,
  ) {}

  /** Loads what the play head needs; returns the media range (ms) whose comments to keep. */
  ensure(positionMs: number): { fromMs: number; toMs: number } {
    const current = Math.floor(Math.max(0, positionMs) / WINDOW_MS);
    const last = Math.floor(Math.max(0, this.durationMs - 1) / WINDOW_MS);
    for (const w of [current, current + 1]) {
      if (w > last || this.windows.has(w)) continue;
      const failed = this.failedAt.get(w);
      if (failed !== undefined && Date.now() - failed < RETRY_AFTER_MS) continue;
      void this.load(w);
    }
    for (const [w, state] of this.windows) {
      if (w >= current - 1 && w <= current + 1) continue;
      state.controller.abort();
      this.windows.delete(w);
    }
    return { fromMs: (current - 1) * WINDOW_MS, toMs: (current + 2) * WINDOW_MS };
  }

  destroy(): void {
    for (const { controller } of this.windows.values()) controller.abort();
    this.windows.clear();
  }

  private async load(w: number): Promise<void> {
    const controller = new AbortController();
    this.windows.set(w, { controller, done: false });
    const fromMs = w * WINDOW_MS;
    const toMs = Math.min(fromMs + WINDOW_MS, this.durationMs + 1);
    let cursor: string | null = null;
    try {
      for (let page = 0; page < MAX_PAGES; page++) {
        const res = await getReplayWindow(this.roomId, { fromMs, toMs, limit: PAGE_LIMIT, cursor }, controller.signal);
        if (controller.signal.aborted) return;
        if (res.items.length) this.onItems(res.items);
        cursor = res.nextCursor;
        if (!cursor) break;
      }
      const state = this.windows.get(w);
      if (state?.controller === controller) state.done = true;
      this.failedAt.delete(w);
    } catch (err) {
      if (isAbort(err) || controller.signal.aborted) return;
      // Forget the window so the next ensure() tries again, after a pause.
      if (this.windows.get(w)?.controller === controller) this.windows.delete(w);
      this.failedAt.set(w, Date.now());
    }
  }
}
