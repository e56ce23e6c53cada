import { simplifyChar } from './chinese.js';
import { ACCENTED_SCRIPT, HAN, HOMOGLYPHS, INVISIBLE, KANA_VOICING, LEET, SEPARATOR, WORD_CHAR } from './fold-tables.js';

/** A text in matching form, with the way back to the original text. */
export interface FoldedText {
  /** The matching form: see foldChar for what is folded and dropped. */
  folded: string;
  /** map[i] = UTF-16 index in the original text of the code point folded unit i came from. */
  map: number[];
}

/** Strips accents from Latin/Greek/Cyrillic letters only: é → e, ё → е, but が stays が. */
function stripAccents(ch: string): string {
  if (!ACCENTED_SCRIPT.test(ch)) return ch;
  let out = '';
  for (const c of ch.normalize('NFD')) if (!INVISIBLE.test(c)) out += c;
  return out || ch;
}

/** Folds one character of an NFKC expansion; '' when it is a separator. */
function foldPiece(piece: string): string {
  const bare = stripAccents(piece);
  let out = '';
  for (const lowered of (HOMOGLYPHS.get(bare) ?? bare).toLowerCase()) {
    let c = LEET.get(lowered) ?? lowered;
    if (HAN.test(c)) c = simplifyChar(c);
    if (!SEPARATOR.test(c)) out += c;
  }
  return out;
}

/**
 * The matching form of one original code point, '' if it is dropped. Pipeline:
 * invisible (zero-width, controls, combining marks) → dropped; NFKC (full-width and
 * math letters, ligatures, half-width kana); accents stripped on Latin/Greek/Cyrillic;
 * homoglyphs → Latin; lower-case; leetspeak; traditional → simplified Chinese;
 * whitespace/punctuation/math symbols → dropped. Per code point and context-free,
 * which is what keeps the index map exact and makes the result cacheable.
 */
function foldChar(ch: string): string {
  if (INVISIBLE.test(ch)) return '';
  let out = '';
  for (const piece of ch.normalize('NFKC')) out += foldPiece(piece);
  return out;
}

// Folding is context-free per code point, so results are memoised: a flat table for
// the Basic Multilingual Plane (all of Chinese, Latin, Cyrillic; 64k slots, filled
// lazily) and a small bounded map for the rest (emoji, math letters).
const bmp: Array<string | undefined> = new Array(0x10000);
const ASTRAL_LIMIT = 10_000;
const astral = new Map<number, string>();

/** foldChar for the code point `cp`, memoised. */
export function foldCodePoint(cp: number): string {
  if (cp < 0x10000) return (bmp[cp] ??= foldChar(String.fromCharCode(cp)));
  let folded = astral.get(cp);
  if (folded === undefined) {
    folded = foldChar(String.fromCodePoint(cp));
    // Bounded so a flood of distinct rare symbols cannot grow memory without limit.
    if (astral.size >= ASTRAL_LIMIT) astral.clear();
    astral.set(cp, folded);
  }
  return folded;
}

/**
 * Folds a text (or a term) into its matching form: case, full-width, accents,
 * homoglyphs, leetspeak and traditional Chinese folded; separators and invisibles
 * dropped. map[i] gives, for each UTF-16 unit of `folded`, where its code point starts
 * in `text`, so matches can be reported and censored on the original text.
 */
export function normalizeForMatching(text: string): FoldedText {
  let folded = '';
  const map: number[] = [];
  for (let i = 0; i < text.length; ) {
    const cp = text.codePointAt(i)!;
    const voicing = KANA_VOICING.get(cp);
    if (voicing !== undefined) {
      folded = voiceLast(folded, voicing);
    } else {
      const out = foldCodePoint(cp);
      folded += out;
      for (let k = 0; k < out.length; k++) map.push(i);
    }
    i += cp > 0xffff ? 2 : 1;
  }
  return { folded, map };
}

/** Composes a kana voicing mark onto the last folded character (は + ゙ → ば), or drops it. */
function voiceLast(folded: string, mark: string): string {
  const composed = (folded.slice(-1) + mark).normalize('NFC');
  return composed.length === 1 ? folded.slice(0, -1) + composed : folded;
}

/** True if the folded character is in a script written with spaces between words. */
export function isWordChar(ch: string): boolean {
  return WORD_CHAR.test(ch);
}

/** Length in UTF-16 units of the code point starting at i. */
function cpLength(text: string, i: number): number {
  return text.codePointAt(i)! > 0xffff ? 2 : 1;
}

/** Start of the code point that ends just before i (never lands inside a surrogate pair). */
function previousStart(text: string, i: number): number {
  const low = text.charCodeAt(i - 1);
  const high = text.charCodeAt(i - 2);
  return i >= 2 && low >= 0xdc00 && low <= 0xdfff && high >= 0xd800 && high <= 0xdbff ? i - 2 : i - 1;
}

/** Invisible characters and kana voicing marks belong to the character before them. */
function isInvisibleAt(text: string, i: number): boolean {
  const cp = text.codePointAt(i)!;
  return KANA_VOICING.has(cp) || INVISIBLE.test(String.fromCodePoint(cp));
}

/** The end (exclusive) of the code point at `start`, stretched over the marks and invisibles attached to it. */
export function originalEnd(text: string, start: number): number {
  let end = start + cpLength(text, start);
  while (end < text.length && isInvisibleAt(text, end)) end += cpLength(text, end);
  return end;
}

/** Index of the nearest visible code point before/after the boundary `index`, or -1. */
function visibleNeighbour(text: string, index: number, side: 'before' | 'after'): number {
  let i = index;
  if (side === 'after') {
    while (i < text.length && isInvisibleAt(text, i)) i += cpLength(text, i);
    return i < text.length ? i : -1;
  }
  while (i > 0) {
    i = previousStart(text, i);
    if (!isInvisibleAt(text, i)) return i;
  }
  return -1;
}

/**
 * True if a word character (Latin/Greek/Cyrillic letter or digit, judged on its
 * folded form so 𝐚, Ａ and 4 count) touches the boundary `index` from the given side,
 * looking past invisibles: the zero-width space in "cl\u200Bass" is no word boundary.
 */
export function wordCharBeside(text: string, index: number, side: 'before' | 'after'): boolean {
  const i = visibleNeighbour(text, index, side);
  if (i < 0) return false;
  const folded = foldCodePoint(text.codePointAt(i)!);
  const edge = side === 'before' ? folded.at(-1) : folded[0];
  return edge !== undefined && isWordChar(edge);
}
