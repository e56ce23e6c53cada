import type { TermAction, TermVerdict } from '../../../../contracts/moderation.js';

/** One hit of a verdict, on the original text. */
export type TermHit = TermVerdict['hits'][number];

const RANK: Record<TermAction, number> = { censor: 1, hold: 2, block: 3 };

/** The stronger of two actions (block > hold > censor). */
export function strongerAction(a: TermAction, b: TermAction): TermAction {
  return RANK[a] >= RANK[b] ? a : b;
}

/** `text` with every hit span replaced by one '*' per code point, the rest untouched. */
export function censorText(text: string, hits: readonly TermHit[]): string {
  if (hits.length === 0) return text;
  const spans = hits.map((h) => [h.start, h.end] as const).sort((a, b) => a[0] - b[0]);
  let out = '';
  let done = 0;
  for (const [start, end] of spans) {
    // Spans may overlap ("bad" inside "badword"); mask each original unit once.
    const from = Math.max(start, done);
    if (end <= from) continue;
    out += text.slice(done, from) + '*'.repeat(countCodePoints(text.slice(from, end)));
    done = end;
  }
  return out + text.slice(done);
}

function countCodePoints(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    // A low surrogate after a high one is the second half of the same code point.
    if (!(c >= 0xdc00 && c <= 0xdfff && i > 0 && s.charCodeAt(i - 1) >= 0xd800 && s.charCodeAt(i - 1) <= 0xdbff)) n++;
  }
  return n;
}

/** Hits in reading order (start, then end), duplicates of the same term and span removed. */
export function sortHits(hits: TermHit[]): TermHit[] {
  const seen = new Set<string>();
  return hits
    .sort((a, b) => a.start - b.start || a.end - b.end || (a.term < b.term ? -1 : a.term > b.term ? 1 : 0))
    .filter((h) => {
      const key = `${h.start}:${h.end}:${h.term}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
}

/** The verdict for `text` given its hits: strongest action, hits in order, censored text. */
export function verdictOf(text: string, hits: TermHit[]): TermVerdict {
  if (hits.length === 0) return { action: 'allow', hits: [], censored: text };
  const sorted = sortHits(hits);
  const action = sorted.map((h) => h.action).reduce(strongerAction);
  return { action, hits: sorted, censored: censorText(text, sorted) };
}

/**
 * Combines verdicts of several matchers on the SAME text (e.g. a shared global
 * matcher and a small per-room one) as if one matcher had checked all lists.
 * If one term is in two lists with different actions, both hits are listed and the
 * stronger action decides.
 */
export function mergeVerdicts(text: string, verdicts: readonly TermVerdict[]): TermVerdict {
  return verdictOf(text, verdicts.flatMap((v) => v.hits));
}
