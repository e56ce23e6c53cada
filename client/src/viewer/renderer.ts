import Danmaku from 'danmaku/dist/esm/danmaku.dom.js';
import type { DanmakuMode } from '../../../contracts/danmaku.js';

/** What the renderer needs to draw one comment. */
export interface RenderItem {
  id: string;
  text: string;
  mode: DanmakuMode;
  color: string;
  /** Sent by this viewer: drawn with a subtle outline. */
  own?: boolean;
  /** Held for review: only its sender sees it, marked as such. */
  held?: boolean;
}

type RenderFn = (() => HTMLElement) & { lotusId: string };

/**
 * The parts of the library's instance we reach into. Its public API can add and
 * clear comments but not remove one (needed for retractions and a bounded replay
 * pool), so we edit its sorted list and running list directly, the way its own
 * emit() and seek() do. Pinned to danmaku 2.x.
 */
interface LibComment {
  time: number;
  render?: RenderFn;
  node?: HTMLElement | null;
}
interface LibInternals {
  comments: LibComment[];
  _: { runningList: LibComment[]; position: number; width: number; height: number };
}

const libModes: Record<DanmakuMode, 'rtl' | 'top' | 'bottom'> = { scroll: 'rtl', top: 'top', bottom: 'bottom' };
const COLOR = /^#[0-9a-f]{6}$/i;
/** Upper bound of the comment list; a long replay session never grows past it. */
const MAX_POOL = 6_000;

/**
 * Draws danmaku over a media element with the `danmaku` library (DOM engine),
 * which follows the element's play, pause, seek and rate by itself. Comments are
 * built by our own render(): the text goes in with textContent, never as markup,
 * so `<img onerror=...>` in a comment shows up as those literal characters.
 */
export class DanmakuRenderer<T extends RenderItem = RenderItem> {
  private readonly lib: Danmaku;
  private readonly internals: LibInternals;
  private readonly entries = new Map<string, { item: T; count: number; el: HTMLElement | null }>();

  constructor(
    private readonly layer: HTMLElement,
    private readonly media: HTMLMediaElement,
    private readonly options: { heldLabel: string; onShown?: (item: T) => void },
  ) {
    this.lib = new Danmaku({ container: layer, media, comments: [] });
    this.internals = this.lib as unknown as LibInternals;
  }

  has(id: string): boolean {
    return this.entries.has(id);
  }

  /** Queues a comment at media time `timeS` (seconds); it shows when playback reaches it. */
  add(item: T, timeS: number): void {
    if (this.entries.has(item.id)) return;
    this.entries.set(item.id, { item, count: 1, el: null });
    const render = Object.assign(() => this.build(item.id), { lotusId: item.id });
    this.lib.emit({ text: item.text, mode: libModes[item.mode] ?? 'rtl', time: Math.max(0, timeS), render });
    if (this.internals.comments.length > MAX_POOL) this.pruneOutside(this.media.currentTime - 30, Infinity);
  }

  /** Shows a merged repeat's count on the comment it was folded into. */
  bump(id: string, count: number): void {
    const entry = this.entries.get(id);
    if (!entry) return;
    entry.count = count;
    if (entry.el) this.paintCount(entry.el, count);
  }

  /** Outlines a comment as the viewer's own (when their ack arrived after the broadcast). */
  markOwn(id: string): void {
    const entry = this.entries.get(id);
    if (!entry) return;
    entry.item.own = true;
    entry.el?.classList.add('dm--own');
  }

  /** Takes comments off the screen and out of the list (retracted by moderators). */
  remove(ids: Iterable<string>): void {
    const gone = new Set(ids);
    this.drop((c) => gone.has(c.render?.lotusId ?? ''), true);
  }

  /** Takes the comments `match` picks off the screen and out of the list (a person the viewer hid). */
  removeWhere(match: (item: T) => boolean): void {
    const ids = [...this.entries.values()].filter((e) => match(e.item)).map((e) => e.item.id);
    if (ids.length) this.remove(ids);
  }

  /** Forgets comments whose time is outside [fromS, toS], except those on screen now. */
  pruneOutside(fromS: number, toS: number): void {
    this.drop((c) => c.time < fromS || c.time > toS, false);
  }

  /** Comments on screen now, and roughly how many fit without overlapping. */
  load(): { onScreen: number; capacity: number } {
    const lineHeight = (parseFloat(getComputedStyle(this.layer).fontSize) || 24) * 1.3;
    const lanes = Math.max(1, Math.floor(this.internals._.height / lineHeight));
    // A lane holds about three scrolling comments at once at normal speed.
    return { onScreen: this.internals._.runningList.length, capacity: lanes * 3 };
  }

  /** Call after the layer changed size; `crossSeconds` is how long a comment takes to cross. */
  resize(crossSeconds: number): void {
    this.lib.resize();
    // The library's speed is px/s, so the same speed crosses a phone three times faster than
    // a TV; deriving it from the width gives everyone the same time to read.
    const width = this.internals._.width || this.layer.offsetWidth;
    if (width > 0) this.lib.speed = Math.max(30, width / crossSeconds);
  }

  /** Empties the screen (the list stays): after a layout change. */
  clearScreen(): void {
    this.lib.clear();
  }

  setVisible(visible: boolean): void {
    if (visible) this.lib.show();
    else this.lib.hide();
  }

  destroy(): void {
    this.lib.destroy();
    this.entries.clear();
  }

  private drop(match: (c: LibComment) => boolean, includeRunning: boolean): void {
    const { comments, _ } = this.internals;
    const running = new Set(_.runningList);
    for (let i = comments.length - 1; i >= 0; i--) {
      const c = comments[i];
      if (!match(c) || (!includeRunning && running.has(c))) continue;
      if (i < _.position) _.position -= 1;
      comments.splice(i, 1);
      if (c.render) this.entries.delete(c.render.lotusId);
    }
    if (!includeRunning) return;
    for (let i = _.runningList.length - 1; i >= 0; i--) {
      const c = _.runningList[i];
      if (!match(c)) continue;
      c.node?.remove();
      _.runningList.splice(i, 1);
    }
  }

  /** Called by the library when the comment first comes on screen. */
  private build(id: string): HTMLElement {
    const entry = this.entries.get(id);
    const el = document.createElement('span');
    el.className = 'dm';
    el.dataset.testid = 'danmaku-item';
    if (!entry) return el;
    const { item } = entry;
    el.dataset.id = item.id;
    el.dataset.mode = item.mode;
    if (item.own) el.classList.add('dm--own');
    if (item.held) el.classList.add('dm--held');
    el.style.color = COLOR.test(item.color) ? item.color : '#ffffff';
    el.append(document.createTextNode(item.text));
    if (item.held) {
      const tag = document.createElement('span');
      tag.className = 'dm__tag';
      tag.textContent = this.options.heldLabel;
      el.append(tag);
    }
    entry.el = el;
    if (entry.count > 1) this.paintCount(el, entry.count);
    this.options.onShown?.(item);
    return el;
  }

  private paintCount(el: HTMLElement, count: number): void {
    let badge = el.querySelector<HTMLElement>('.dm__count');
    if (!badge) {
      badge = document.createElement('span');
      badge.className = 'dm__count';
      el.append(badge);
    }
    badge.textContent = `×${count}`;
  }
}
