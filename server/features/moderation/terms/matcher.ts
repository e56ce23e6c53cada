import type { BlockedTerm, TermAction, TermVerdict } from '../../../../contracts/moderation.js';
import { buildAutomaton, type Automaton } from './automaton.js';
import { isWordChar, normalizeForMatching, originalEnd, wordCharBeside } from './normalize.js';
import { strongerAction, verdictOf, type TermHit } from './verdict.js';

/** A compiled term list. Immutable; compile again when the list changes. */
export interface TermMatcher {
  /** What the text triggers: strongest action, every hit on the original text, censored text. */
  check(text: string): TermVerdict;
  /** Number of distinct folded terms in the automaton. */
  readonly size: number;
  /** Terms that fold to nothing (only punctuation/spaces/invisibles) and so never match. */
  readonly unmatchable: readonly string[];
}

/** One distinct folded term. */
interface Entry {
  term: string;
  action: TermAction;
  /** Folded length in UTF-16 units, to find where a match starts. */
  length: number;
  /** Latin/Greek/Cyrillic edge: the match must not continue a word on that side. */
  wordStart: boolean;
  wordEnd: boolean;
}

/**
 * Folds the terms and merges those with the same folded form ("剧透" and "劇透",
 * "Bad" and "bad"): the strongest action wins, and the term reported in hits is the
 * first one listed with that action.
 */
function collectEntries(terms: readonly BlockedTerm[]) {
  const byFolded = new Map<string, Entry>();
  const unmatchable: string[] = [];
  for (const { term, action } of terms) {
    const { folded } = normalizeForMatching(term);
    if (!folded) {
      unmatchable.push(term);
      continue;
    }
    const known = byFolded.get(folded);
    if (known) {
      if (strongerAction(known.action, action) !== known.action) Object.assign(known, { term, action });
      continue;
    }
    const wordStart = isWordChar(folded[0]);
    const wordEnd = isWordChar(folded[folded.length - 1]);
    byFolded.set(folded, { term, action, length: folded.length, wordStart, wordEnd });
  }
  return { byFolded, unmatchable };
}

/** Maps a folded match back to the original text, or null if it breaks the word-boundary rule. */
function toHit(text: string, map: number[], entry: Entry, foldedEnd: number): TermHit | null {
  const start = map[foldedEnd - entry.length];
  const end = originalEnd(text, map[foldedEnd - 1]);
  if (entry.wordStart && wordCharBeside(text, start, 'before')) return null;
  if (entry.wordEnd && wordCharBeside(text, end, 'after')) return null;
  return { term: entry.term, action: entry.action, start, end };
}

function checkWith(automaton: Automaton, entries: Entry[], text: string): TermVerdict {
  const { folded, map } = normalizeForMatching(text);
  const hits: TermHit[] = [];
  automaton.scan(folded, (pattern, foldedEnd) => {
    const hit = toHit(text, map, entries[pattern], foldedEnd);
    if (hit) hits.push(hit);
  });
  return verdictOf(text, hits);
}

/**
 * Compiles a blocked-term list into a matcher. Terms and texts are folded the same
 * way (see normalizeForMatching); Latin/Greek/Cyrillic term edges must sit on a word
 * boundary of the original text, Chinese and other terms match anywhere. For the
 * danmaku path pass the global and room lists together:
 * `compileTerms([...globalTerms, ...roomTerms])` (duplicates: strongest action wins),
 * or compile them apart and combine the two verdicts with mergeVerdicts.
 */
export function compileTerms(terms: readonly BlockedTerm[]): TermMatcher {
  const { byFolded, unmatchable } = collectEntries(terms);
  if (byFolded.size === 0) {
    return { size: 0, unmatchable, check: (text) => ({ action: 'allow', hits: [], censored: text }) };
  }
  const entries = [...byFolded.values()];
  const automaton = buildAutomaton([...byFolded.keys()]);
  return { size: entries.length, unmatchable, check: (text) => checkWith(automaton, entries, text) };
}
