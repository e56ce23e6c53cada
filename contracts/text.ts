import { z } from 'zod';
import { charCount, hasControl, MAX_STACKED_MARKS, stacksMarks } from './chars.js';

/** UTF-16 units a character may take on average before text is refused as too long whatever it counts as (emoji sequences take up to 14). */
const UNITS_PER_CHAR = 8;

/**
 * User text as Lotus stores it: NFKC-normalised (full-width letters fold to ASCII),
 * trimmed, `min` to `max` characters as a reader counts them (chars.ts: 😂 and 👨‍👩‍👧 are
 * one each), and free of control characters, which Postgres refuses (NUL) or which let
 * text masquerade as something else. The joiners inside an emoji sequence are part of the
 * emoji, not control characters; more than MAX_STACKED_MARKS combining marks on one
 * character are refused.
 */
export function plainText(min: number, max: number) {
  return z
    .string()
    .normalize('NFKC')
    .trim()
    .max(max * UNITS_PER_CHAR, { message: `at most ${max} characters`, abort: true })
    .refine((s) => !hasControl(s), 'no control characters')
    .refine((s) => !stacksMarks(s), `at most ${MAX_STACKED_MARKS} combining marks on one character`)
    .refine((s) => {
      const n = charCount(s);
      return n >= min && n <= max;
    }, min > 0 ? `${min} to ${max} characters` : `at most ${max} characters`);
}

/**
 * A filter from a query string or path that is compared with stored plain text (an IP
 * name, a tag): normalised as plainText stores it, so full-width or padded input still
 * matches, and refused with VALIDATION_FAILED when it holds a control character, which
 * Postgres would refuse (NUL) with an internal error. Empty means no filter.
 */
export function filterText(max: number) {
  return plainText(0, max);
}

/** An opaque token from a query string (an id, an action name): any text within length but control characters. */
export function tokenText(max: number) {
  return z
    .string()
    .max(max)
    .refine((s) => !hasControl(s), 'no control characters');
}
