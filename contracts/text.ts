import { z } from 'zod';

// Control and format characters (NUL, bidi overrides, zero-width joiners used for spoofing),
// and lone surrogates: half a character, which Postgres refuses inside JSON.
const CONTROL = /[\p{Cc}\p{Cf}\p{Cs}]/u;

/**
 * User text as Lotus stores it: NFKC-normalised (full-width letters fold to ASCII),
 * trimmed, within length, and free of control characters, which Postgres refuses (NUL)
 * or which let text masquerade as something else.
 */
export function plainText(min: number, max: number) {
  return z
    .string()
    .normalize('NFKC')
    .trim()
    .min(min)
    .max(max)
    .refine((s) => !CONTROL.test(s), 'no control characters');
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
    .refine((s) => !CONTROL.test(s), 'no control characters');
}
