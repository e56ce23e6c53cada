/**
 * Characters as a reader counts them, shared by the schemas and the client's counters
 * (no zod here, so the client bundle stays small).
 *
 * A "character" is a grapheme cluster: 中, é, 😂, 👍🏽 and 👨‍👩‍👧 are one each, as a person
 * sees them. Counting UTF-16 units made an emoji cost two of a comment's 100 and a
 * family emoji eight. Browsers without Intl.Segmenter (old TV browsers) count code
 * points, which is never fewer than graphemes, so they only ever stop a little early.
 */

const segmenter: Intl.Segmenter | null = typeof Intl !== 'undefined' && 'Segmenter' in Intl ? new Intl.Segmenter(undefined, { granularity: 'grapheme' }) : null;

/**
 * What can join a code point to the one before it in a grapheme cluster: combining marks,
 * the zero-width joiner, variation selectors, skin tones, emoji tags, regional indicators
 * (flags come in pairs), Hangul jamo, CR (CR LF is one), lone surrogates, the two
 * spacing vowels that are letters (Thai and Lao AM) and the prefixed marks that join
 * the character after them (Unicode's Grapheme_Cluster_Break=Prepend). Text without any
 * of them has one grapheme per code point.
 */
const JOINS =
  /[\p{M}\p{Cs}\r\u200C\u200D\uFE00-\uFE0F\u{1F3FB}-\u{1F3FF}\u{E0020}-\u{E007F}\u{1F1E6}-\u{1F1FF}\u1100-\u11FF\uA960-\uA97F\uD7B0-\uD7FF\u0E33\u0EB3\u0600-\u0605\u06DD\u070F\u0890\u0891\u08E2\u0D4E\u{110BD}\u{110CD}\u{111C2}\u{111C3}\u{1193F}\u{11941}\u{11A3A}\u{11A84}-\u{11A89}\u{11D46}\u{11F02}\u{16D63}-\u{16D6A}]/u;

/** How many characters (grapheme clusters) `text` holds. */
export function charCount(text: string): number {
  // Intl.Segmenter costs about a microsecond a character; most comments need none of it.
  if (!segmenter || !JOINS.test(text)) {
    let n = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c < 0xd800 || c > 0xdbff || i + 1 === text.length) n++;
      else {
        const next = text.charCodeAt(i + 1);
        n++;
        if (next >= 0xdc00 && next <= 0xdfff) i++;
      }
    }
    return n;
  }
  let n = 0;
  for (const _ of segmenter.segment(text)) n++;
  return n;
}

/**
 * Combining marks stacked on one character beyond this many are refused ("Zalgo" text:
 * a line of them paints far above and below its line, over the video and other comments).
 * Real scripts and emoji keycaps stay well under it.
 */
export const MAX_STACKED_MARKS = 4;
const STACKED_MARKS = new RegExp(`\\p{M}{${MAX_STACKED_MARKS + 1},}`, 'u');

/** Whether `text` stacks more than MAX_STACKED_MARKS combining marks on one character. */
export function stacksMarks(text: string): boolean {
  return STACKED_MARKS.test(text);
}

/**
 * Format characters that belong to an emoji: a zero-width joiner between two pictographs
 * (👨‍👩‍👧, ❤️‍🔥, 🏳️‍🌈, with a variation selector or skin tone before it), and the tag
 * characters of a subdivision flag (🏴 followed by tags, as in the flag of Scotland).
 * Everywhere else those characters are refused: they hide text from filters or spoof it.
 */
const EMOJI_FORMAT = /(?<=\p{Extended_Pictographic}[\u{FE0F}\u{1F3FB}-\u{1F3FF}]?)\u200D(?=\p{Extended_Pictographic})|(?<=\u{1F3F4}[\u{E0020}-\u{E007E}]*)[\u{E0020}-\u{E007F}]/gu;

/**
 * Control and format characters (NUL, bidi overrides, zero-width joiners used for spoofing)
 * and lone surrogates: half a character, which Postgres refuses inside JSON.
 */
const CONTROL = /[\p{Cc}\p{Cf}\p{Cs}]/gu;

/** Whether `text` holds a control character that is not part of an emoji (see EMOJI_FORMAT). */
export function hasControl(text: string): boolean {
  // Nearly every text has none: one scan, and the emoji check only when there is one.
  CONTROL.lastIndex = 0;
  if (!CONTROL.test(text)) return false;
  let found = false;
  replaceControls(text, (c) => ((found = true), c));
  return found;
}

/** `text` with each control character that is not part of an emoji replaced by what `by` gives for it. */
export function replaceControls(text: string, by: (char: string) => string): string {
  const inEmoji = new Set<number>();
  for (const m of text.matchAll(EMOJI_FORMAT)) inEmoji.add(m.index);
  return text.replace(CONTROL, (c, at: number) => (inEmoji.has(at) ? c : by(c)));
}
