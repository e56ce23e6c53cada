import { Converter } from 'opencc-js/t2cn';

type ConvertFn = (text: string) => string;

// Built on first use: building the dictionaries takes tens of milliseconds, and a
// process that never sees a Chinese character should not pay for it.
let converter: ConvertFn | null = null;

/**
 * Hong Kong → mainland rather than Taiwan → mainland: per character the Taiwan
 * converter even rewrites simplified characters (么 → 幺, 着 for 著), while the Hong
 * Kong one leaves simplified text alone and folds more variants (衞 → 卫).
 */
function getConverter(): ConvertFn {
  converter ??= Converter({ from: 'hk', to: 'cn' });
  return converter;
}

/** Builds the converter now, e.g. at server start, instead of on the first Chinese text. */
export function warmUpChineseFolding(): void {
  getConverter();
}

/**
 * The simplified form of ONE Chinese character. Converted one character at a time
 * (not as phrases) so every folded character still maps to exactly one original
 * character; phrase-level context does not matter for matching because terms and
 * texts fold through the same function. Repeated until stable because a few
 * mappings chain (薴 → 苧 → 苎); anything that is not exactly one character back
 * is ignored.
 */
export function simplifyChar(ch: string): string {
  const convert = getConverter();
  let current = ch;
  for (let i = 0; i < 3; i++) {
    const next = convert(current);
    if (next === current || [...next].length !== 1) return current;
    current = next;
  }
  return current;
}
