import { z } from 'zod';

// Control and format characters (NUL, bidi overrides, zero-width joiners used for spoofing).
const CONTROL = /[\p{Cc}\p{Cf}]/u;

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

