import { describe, it, expect } from 'vitest';
import type { BlockedTerm, TermAction } from '../../contracts/moderation.js';
import { compileTerms, mergeVerdicts, normalizeForMatching } from '../../server/features/moderation/terms/index.js';

const terms = (action: TermAction, ...words: string[]): BlockedTerm[] => words.map((term) => ({ term, action }));
const hitTerms = (matcher: ReturnType<typeof compileTerms>, text: string) => matcher.check(text).hits.map((h) => h.term);

describe('normalizeForMatching', () => {
  it('folds case, width, accents, homoglyphs, leet and traditional Chinese, and maps back', () => {
    const text = 'Ｈé 4Ь 劇透';
    const { folded, map } = normalizeForMatching(text);
    expect(folded).toBe('heaь剧透');
    expect(map).toEqual([0, 1, 3, 4, 6, 7]);
  });

  it('keeps surrogate pairs whole in the map', () => {
    const { folded, map } = normalizeForMatching('a😀𝐛');
    expect(folded).toBe('a😀b');
    expect(map).toEqual([0, 1, 1, 3]);
  });
});

describe('compileTerms: folding', () => {
  const m = compileTerms(terms('block', 'bad', 'f0o', '1989'));

  it('ignores case and full width', () => {
    expect(m.check('so BAD').action).toBe('block');
    expect(m.check('ＢＡＤ').hits).toEqual([{ term: 'bad', action: 'block', start: 0, end: 3 }]);
  });

  it('folds Cyrillic and Greek look-alikes and accents', () => {
    expect(hitTerms(m, 'bаd')).toEqual(['bad']); // Cyrillic а
    expect(hitTerms(m, 'ΒΑD')).toEqual(['bad']); // Greek capitals
    expect(hitTerms(m, 'bäd')).toEqual(['bad']);
  });

  it('folds leetspeak on both sides, so numeric terms still match their digits', () => {
    expect(hitTerms(m, 'b4d')).toEqual(['bad']);
    expect(hitTerms(m, 'foo')).toEqual(['f0o']);
    expect(hitTerms(m, 'F00!')).toEqual(['f0o']);
    expect(hitTerms(m, 'in 1989.')).toEqual(['1989']);
    expect(hitTerms(m, '219895')).toEqual([]);
  });

  it('skips separators, zero-width characters and combining marks inside a word', () => {
    expect(m.check('b.a.d').hits).toEqual([{ term: 'bad', action: 'block', start: 0, end: 5 }]);
    expect(hitTerms(m, 'b a d')).toEqual(['bad']);
    expect(hitTerms(m, 'b-a_d')).toEqual(['bad']);
    expect(hitTerms(m, 'b\u200Ba\u200Dd')).toEqual(['bad']);
    expect(m.check('b\u0336a\u0336d\u0336').hits).toEqual([{ term: 'bad', action: 'block', start: 0, end: 6 }]);
  });

  it('matches a multi-word term however it is spaced', () => {
    const words = compileTerms(terms('hold', 'bad word'));
    expect(words.check('b.a.d w-o-r-d').hits).toEqual([{ term: 'bad word', action: 'hold', start: 0, end: 13 }]);
    expect(hitTerms(words, 'a badword here')).toEqual(['bad word']);
  });
});

describe('compileTerms: traditional and simplified Chinese', () => {
  it('a simplified term matches traditional text and vice versa', () => {
    expect(compileTerms(terms('hold', '剧透')).check('有人劇透了').hits).toEqual([
      { term: '剧透', action: 'hold', start: 2, end: 4 },
    ]);
    expect(hitTerms(compileTerms(terms('hold', '劇透')), '有人剧透了')).toEqual(['劇透']);
  });

  it('folds both spellings of 什么 alike, and Hong Kong variants such as 衞', () => {
    const m = compileTerms(terms('censor', '什么鬼'));
    expect(hitTerms(m, '這是什麼鬼')).toEqual(['什么鬼']);
    expect(hitTerms(m, '这是什么鬼')).toEqual(['什么鬼']);
    expect(hitTerms(compileTerms(terms('censor', '卫生')), '衞生')).toEqual(['卫生']);
  });

  it('matches CJK terms anywhere inside a sentence', () => {
    const m = compileTerms(terms('censor', '傻瓜'));
    expect(m.check('你这个傻瓜啊哈哈')).toEqual({
      action: 'censor',
      hits: [{ term: '傻瓜', action: 'censor', start: 3, end: 5 }],
      censored: '你这个**啊哈哈',
    });
  });

  it('applies the word boundary only to the Latin edge of a mixed term', () => {
    const m = compileTerms(terms('censor', 'sb'));
    expect(hitTerms(m, '你是sb吗')).toEqual(['sb']);
    expect(hitTerms(m, 'usb cable')).toEqual([]);
  });
});

describe('compileTerms: Japanese kana', () => {
  it('folds half-width and decomposed kana, voicing marks included', () => {
    const m = compileTerms(terms('censor', 'バカ'));
    expect(m.check('ﾊﾞｶだ').hits).toEqual([{ term: 'バカ', action: 'censor', start: 0, end: 3 }]);
    expect(m.check('ﾊﾞｶだ').censored).toBe('***だ');
    expect(hitTerms(m, 'ハ\u3099カ')).toEqual(['バカ']);
    expect(hitTerms(m, 'ハカ')).toEqual([]);
  });
});

describe('compileTerms: word boundaries for Latin terms', () => {
  const m = compileTerms(terms('censor', 'ass'));

  it('does not match inside a longer word', () => {
    for (const text of ['assistant', 'class', 'passage', 'class assignment', 'as sad', 'cl\u200Bass', '𝐜𝐥𝐚𝐬𝐬']) {
      expect(hitTerms(m, text), text).toEqual([]);
    }
  });

  it('matches a whole word, even split or disguised', () => {
    for (const text of ['ass', 'you ass!', '(ass)', 'a s s', '4$$', 'ASS。', '笨ass']) {
      expect(hitTerms(m, text), text).toEqual(['ass']);
    }
  });

  it('treats line breaks and tabs as word boundaries, not as invisibles', () => {
    // A proposal is checked as "title\nbody": a term ending its title must still match.
    for (const text of ['ass\nnext line', 'first line\nass', 'ass\r\nnext', 'a\tass\tb', 'ass\u0085next']) {
      expect(hitTerms(m, text), JSON.stringify(text)).toEqual(['ass']);
    }
    expect(hitTerms(m, 'cl\nass'), 'a line break still splits a word like a space').toEqual(['ass']);
  });
});

describe('compileTerms: verdicts', () => {
  const m = compileTerms([...terms('censor', 'darn', '靠'), ...terms('hold', 'spoiler'), ...terms('block', 'scam')]);

  it('lists every hit in order and the strongest action wins', () => {
    const v = m.check('darn spoiler: scam link 靠');
    expect(v.action).toBe('block');
    expect(v.hits.map((h) => [h.term, h.action, h.start, h.end])).toEqual([
      ['darn', 'censor', 0, 4],
      ['spoiler', 'hold', 5, 12],
      ['scam', 'block', 14, 18],
      ['靠', 'censor', 24, 25],
    ]);
    expect(v.censored).toBe('**** *******: **** link *');
    expect(m.check('darn spoiler').action).toBe('hold');
    expect(m.check('darn').action).toBe('censor');
    expect(m.check('hello').action).toBe('allow');
  });

  it('keeps non-hit text intact, emoji and surrogate pairs included', () => {
    expect(m.check('😀darn😀 👍🏽 ok').censored).toBe('😀****😀 👍🏽 ok');
    const astral = m.check('𝐝𝐚𝐫𝐧!');
    expect(astral.hits).toEqual([{ term: 'darn', action: 'censor', start: 0, end: 8 }]);
    expect(astral.censored).toBe('****!');
  });

  it('treats markup as plain text', () => {
    const tags = compileTerms(terms('censor', 'script'));
    expect(tags.check('<script>alert(1)</script>').censored).toBe('<******>alert(1)</******>');
    expect(hitTerms(compileTerms(terms('block', '<script>')), 'a <SCRIPT> tag')).toEqual(['<script>']);
  });

  it('reports overlapping terms separately and masks their union once', () => {
    const o = compileTerms([...terms('censor', 'bad'), ...terms('hold', 'bad word')]);
    const v = o.check('a bad word.');
    expect(v.hits.map((h) => [h.term, h.start, h.end])).toEqual([['bad', 2, 5], ['bad word', 2, 10]]);
    expect(v.censored).toBe('a ********.');
  });

  it('merges duplicate terms; the strongest action wins', () => {
    const d = compileTerms([...terms('censor', 'Bad', '剧透'), ...terms('block', 'bad'), ...terms('hold', '劇透')]);
    expect(d.size).toBe(2);
    expect(d.check('bad').hits).toEqual([{ term: 'bad', action: 'block', start: 0, end: 3 }]);
    expect(d.check('剧透').hits).toEqual([{ term: '劇透', action: 'hold', start: 0, end: 2 }]);
  });

  it('allows everything with an empty list, and reports terms that can never match', () => {
    expect(compileTerms([]).check('anything <b>')).toEqual({ action: 'allow', hits: [], censored: 'anything <b>' });
    const p = compileTerms(terms('block', '!!!', 'ok'));
    expect(p.unmatchable).toEqual(['!!!']);
    expect(p.check('!!! fine').action).toBe('allow');
    expect(compileTerms(terms('block', 'x')).check('')).toEqual({ action: 'allow', hits: [], censored: '' });
  });

  it('merges the verdicts of a global and a room matcher', () => {
    const global = compileTerms(terms('censor', 'darn'));
    const room = compileTerms(terms('hold', '剧透'));
    const text = 'darn 劇透';
    const merged = mergeVerdicts(text, [global.check(text), room.check(text)]);
    expect(merged).toEqual(compileTerms([...terms('censor', 'darn'), ...terms('hold', '剧透')]).check(text));
    expect(merged.action).toBe('hold');
    expect(merged.censored).toBe('**** **');
  });
});

describe('compileTerms: a 2,000-term list', () => {
  // Deterministic synthetic words: four letters from a fixed sequence, plus Chinese pairs.
  const letters = 'bcdfghjklmnpqrstvwxz';
  const latin = Array.from({ length: 1_500 }, (_, i) =>
    [0, 1, 2, 3].map((k) => letters[Math.floor(i / 20 ** k) % 20]).join('') + 'ua',
  );
  const han = Array.from({ length: 500 }, (_, i) => String.fromCodePoint(0x4e00 + i * 7, 0x4e01 + i * 11));
  const list = [...terms('censor', ...latin), ...terms('hold', ...han)];

  it('compiles and finds exactly the planted terms', () => {
    const m = compileTerms(list);
    expect(m.size).toBe(2_000);
    const text = `hello ${latin[1_234].toUpperCase()} and ${han[321]}, not x${latin[7]}`;
    const v = m.check(text);
    expect(v.hits.map((h) => h.term)).toEqual([latin[1_234], han[321]]);
    expect(v.action).toBe('hold');
    expect(m.check('nothing to see here, 普通的弹幕').hits).toEqual([]);
  });
});
