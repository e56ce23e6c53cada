// Character tables for term folding. Kept apart from the folding code so the policy
// (which look-alikes count as which letter) can be reviewed at a glance.

/**
 * Look-alikes from other scripts folded to the Latin letter they imitate. Applied
 * BEFORE lower-casing, because case changes the look: Greek capital Ν looks like N
 * but its lower-case ν looks like v; Cyrillic capital В looks like B, lower-case в does not.
 * Accented forms (ё, ї, ά) are not listed: their accents are stripped first.
 */
export const HOMOGLYPHS: ReadonlyMap<string, string> = new Map(
  Object.entries({
    // Cyrillic capitals
    А: 'A', В: 'B', Е: 'E', К: 'K', М: 'M', Н: 'H', О: 'O', Р: 'P', С: 'C', Т: 'T',
    Х: 'X', У: 'Y', Ѕ: 'S', І: 'I', Ј: 'J', Ӏ: 'I', Ԛ: 'Q', Ԝ: 'W',
    // Cyrillic small letters
    а: 'a', е: 'e', о: 'o', р: 'p', с: 'c', х: 'x', у: 'y', ѕ: 's', і: 'i', ј: 'j',
    һ: 'h', ԁ: 'd', ԛ: 'q', ԝ: 'w', ӏ: 'l',
    // Greek capitals
    Α: 'A', Β: 'B', Ε: 'E', Ζ: 'Z', Η: 'H', Ι: 'I', Κ: 'K', Μ: 'M', Ν: 'N', Ο: 'O',
    Ρ: 'P', Τ: 'T', Υ: 'Y', Χ: 'X',
    // Greek small letters
    α: 'a', β: 'b', γ: 'y', ε: 'e', ι: 'i', κ: 'k', ν: 'v', ο: 'o', ρ: 'p', υ: 'u', χ: 'x',
    // Latin letters without a decomposition that still pass for plain ones
    ı: 'i', ɑ: 'a', ɡ: 'g',
  }),
);

/**
 * Leetspeak substitutions, applied after lower-casing to terms and texts alike, so a
 * numeric term still matches its own digits ("1989" folds to "i9a9" on both sides).
 */
export const LEET: ReadonlyMap<string, string> = new Map(
  Object.entries({ '0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't', '@': 'a', $: 's' }),
);

/**
 * Kana voicing marks, as combining marks (か + ゙), spacing marks (゛) or half-width
 * (ﾊﾞ), mapped to the combining mark that composes them onto the previous kana.
 * Folded one code point at a time they would be lost, and ﾊﾞｶ would not match バカ.
 */
export const KANA_VOICING: ReadonlyMap<number, string> = new Map([
  [0x3099, '\u3099'], [0x309b, '\u3099'], [0xff9e, '\u3099'],
  [0x309a, '\u309A'], [0x309c, '\u309A'], [0xff9f, '\u309A'],
]);

/**
 * Invisible characters: zero-width/format, controls, lone surrogates and combining marks.
 * Line breaks and tabs are controls too, but they separate words like a space: a term
 * ending a line ("…leak\n…", a proposal's title before its body) must still end a word.
 */
export const INVISIBLE = /^(?![\t\n\v\f\r\u0085])[\p{Cc}\p{Cf}\p{Cs}\p{M}]$/u;

/**
 * Characters dropped for matching: invisibles plus whitespace, punctuation and the
 * math/modifier symbols (+ < = > | ~ ^ `, emoji skin tones) used to split a word
 * ("b.a.d", "b a d", "b|a|d"). Other symbols (emoji, ©, currency) are kept so a
 * moderator can block an emoji.
 */
export const SEPARATOR = /^[\s\p{Z}\p{P}\p{Sm}\p{Sk}\p{Cc}\p{Cf}\p{Cs}\p{M}]$/u;

/** Scripts written with spaces between words: their terms match only as whole words. */
export const WORD_CHAR = /^[\p{Script=Latin}\p{Script=Greek}\p{Script=Cyrillic}\p{Nd}]$/u;

/** Letters whose accents are stripped (é → e); kana voicing marks are left alone. */
export const ACCENTED_SCRIPT = /^[\p{Script=Latin}\p{Script=Greek}\p{Script=Cyrillic}]$/u;

/** Chinese characters, the only ones handed to the traditional → simplified converter. */
export const HAN = /^\p{Script=Han}$/u;
