import type { Danmaku } from '../../../contracts/danmaku.js';
import type { ViewerSettings } from './settings.js';

/**
 * The viewer's own policy, applied before anything reaches the renderer:
 * personal filters, a per-second density cap, an on-screen cap, and merging of
 * repeated identical text into one "×N" comment. The server already caps what a
 * room sends; this layer is about what one person wants on their screen.
 * Pure apart from the clock it is handed, so it is easy to reason about.
 */

export type Decision =
  | { kind: 'show' }
  | { kind: 'merge'; intoId: string; count: number }
  | { kind: 'drop'; reason: 'disabled' | 'mode' | 'blocked' | 'person' | 'density' | 'crowded' };

/** What the filters look at in a comment. */
export type Filterable = Pick<Danmaku, 'text' | 'userId'> & { staff?: boolean };

/** What the policy needs to know besides the comment itself. */
export interface AdmitContext {
  nowMs: number;
  /** The viewer's own comments skip filters and caps: they expect to see what they sent. */
  own?: boolean;
  /** Comments on screen now, and how many fit without overlapping (from the renderer). */
  onScreen?: number;
  capacity?: number;
}

/** How long an identical comment still counts as a repeat of the one on screen. */
export const MERGE_WINDOW_MS = 5_000;
const REGEX_ENTRY = /^\/(.+)\/([a-z]*)$/;

/** Folds case, width and spacing so "ＨＡＨＡ  haha" and "haha haha" count as the same. */
export function normalizeText(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
}

/** Compiles blocklist entries: "/pattern/flags" is a regular expression, anything else a substring. */
export function compileBlocklist(entries: readonly string[]): (text: string) => boolean {
  const words: string[] = [];
  const patterns: RegExp[] = [];
  for (const entry of entries) {
    const m = REGEX_ENTRY.exec(entry);
    if (m) {
      try {
        // Only the harmless flags: "g" or "y" would make test() stateful.
        patterns.push(new RegExp(m[1], m[2].replace(/[^imsu]/g, '') + (m[2].includes('i') ? '' : 'i')));
        continue;
      } catch {
        // Not a valid expression: treat it as plain text so the entry still does something.
      }
    }
    const word = normalizeText(entry);
    if (word) words.push(word);
  }
  return (text) => {
    const plain = normalizeText(text);
    return words.some((w) => plain.includes(w)) || patterns.some((p) => p.test(text) || p.test(plain));
  };
}

/**
 * Whether a comment comes from someone the viewer hid. Staff comments never do: a room
 * must hear its moderators, whoever a viewer has hidden (the settings panel says so).
 */
export function compileHiddenPeople(people: readonly { id: string }[]): (d: Pick<Danmaku, 'userId'> & { staff?: boolean }) => boolean {
  const ids = new Set(people.map((p) => p.id));
  return (d) => !d.staff && ids.has(d.userId);
}

/** Whether the comment list offers "hide this person" on a comment: not on one's own (held ones are), nor staff's. */
export function canHidePerson(d: Pick<Danmaku, 'userId' | 'held'> & { staff?: boolean }, own: boolean, viewerId: string | null): boolean {
  return !own && !d.held && !d.staff && d.userId !== viewerId;
}

/** The viewer's policy for one set of settings. */
export interface Policy {
  admit(d: Filterable & Pick<Danmaku, 'id' | 'mode'>, ctx: AdmitContext): Decision;
  /** Whether the viewer's blocklist or hidden people hide this comment (also applied to the comment list). */
  hides(d: Filterable): boolean;
  /** Forget merge and density history, e.g. after a seek: the screen starts empty. */
  reset(): void;
}

/** Builds the policy for the given settings; build a new one when settings change. */
export function createPolicy(settings: ViewerSettings): Policy {
  const blocked = compileBlocklist(settings.blocklist);
  const hiddenPerson = compileHiddenPeople(settings.blockedUsers);
  const hidden = new Set(settings.hiddenModes);
  /** When each comment admitted in the last second arrived. */
  let recent: number[] = [];
  /** Normalised text -> the comment it was merged into. */
  let repeats = new Map<string, { id: string; count: number; at: number }>();

  function underDensityCap(nowMs: number): boolean {
    if (settings.maxPerSecond <= 0) return true;
    recent = recent.filter((t) => nowMs - t < 1_000);
    return recent.length < settings.maxPerSecond;
  }

  function forgetOldRepeats(nowMs: number): void {
    if (repeats.size < 256) return;
    for (const [key, r] of repeats) if (nowMs - r.at > MERGE_WINDOW_MS) repeats.delete(key);
  }

  return {
    admit(d, ctx) {
      const { nowMs } = ctx;
      if (!ctx.own) {
        if (!settings.enabled) return { kind: 'drop', reason: 'disabled' };
        if (hidden.has(d.mode)) return { kind: 'drop', reason: 'mode' };
        if (blocked(d.text)) return { kind: 'drop', reason: 'blocked' };
        if (hiddenPerson(d)) return { kind: 'drop', reason: 'person' };
      }
      const key = normalizeText(d.text);
      if (settings.merge && !ctx.own) {
        const previous = repeats.get(key);
        if (previous && nowMs - previous.at < MERGE_WINDOW_MS) {
          previous.count += 1;
          return { kind: 'merge', intoId: previous.id, count: previous.count };
        }
      }
      if (!ctx.own && !d.staff) {
        // Drop rather than stack: a comment that can't get a clear lane is noise.
        if (ctx.capacity !== undefined && ctx.onScreen !== undefined && ctx.onScreen >= ctx.capacity) {
          return { kind: 'drop', reason: 'crowded' };
        }
        if (!underDensityCap(nowMs)) return { kind: 'drop', reason: 'density' };
      }
      recent.push(nowMs);
      forgetOldRepeats(nowMs);
      repeats.set(key, { id: d.id, count: 1, at: nowMs });
      return { kind: 'show' };
    },
    hides: (d) => blocked(d.text) || hiddenPerson(d),
    reset() {
      recent = [];
      repeats = new Map();
    },
  };
}
