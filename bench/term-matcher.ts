/**
 * Blocked-term matcher benchmark: compile time for 2,000 terms and checks per second
 * on 100-character texts, against a naive baseline that folds the text the same way
 * and then calls folded.includes(term) for every term (no positions, no word
 * boundaries, so the baseline does less work per hit). Median of several runs.
 *
 *   npx tsx bench/term-matcher.ts
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BlockedTerm } from '../contracts/moderation.js';
import { compileTerms, normalizeForMatching, warmUpChineseFolding } from '../server/features/moderation/terms/index.js';

const TERMS = 2_000;
const TEXTS = 500;
const TEXT_LENGTH = 100;
const RUNS = 11;

// A seeded generator so every run benchmarks the same data.
let seed = 42;
const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
const pick = <T>(items: ArrayLike<T>) => items[Math.floor(random() * items.length)];

const LATIN = 'abcdefghijklmnopqrstuvwxyz';
// Terms draw Chinese characters from a block the filler text does not use, so hits
// come only from planted terms (one text in five), as in a real, mostly clean stream.
const TERM_HAN = Array.from({ length: 400 }, (_, i) => String.fromCodePoint(0x5000 + i * 3));
const HAN = '的一是不了人我在有他这中大来上个国到说们为子和你地出会也时要就可以对生能而那得于着下自之年过发后作里用道行所然家种事成方多经么去法学如都同现没动面起看定天分还进好小部其些主样理心她本前开但因只从想实意';

function makeTerms(): BlockedTerm[] {
  const terms = new Map<string, BlockedTerm>();
  while (terms.size < TERMS) {
    const latin = random() < 0.6;
    const length = latin ? 4 + Math.floor(random() * 5) : 2 + Math.floor(random() * 3);
    const term = Array.from({ length }, () => pick(latin ? LATIN : TERM_HAN)).join('');
    terms.set(term, { term, action: pick(['block', 'hold', 'censor'] as const) });
  }
  return [...terms.values()];
}

function makeTexts(terms: BlockedTerm[]): string[] {
  const filler = `${HAN}${HAN}${LATIN}          ，！😀`;
  return Array.from({ length: TEXTS }, (_, i) => {
    let text = '';
    while (text.length < TEXT_LENGTH) text += i % 5 === 0 && random() < 0.03 ? ` ${pick(terms).term} ` : pick(filler);
    return text.slice(0, TEXT_LENGTH);
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function time(fn: () => void): number {
  const start = performance.now();
  fn();
  return performance.now() - start;
}

/** Checks per second: runs fn over all texts `rounds` times. */
function throughput(texts: string[], check: (text: string) => unknown, rounds: number): number {
  const ms = time(() => {
    for (let r = 0; r < rounds; r++) for (const text of texts) check(text);
  });
  return (texts.length * rounds) / (ms / 1_000);
}

function naiveCompile(terms: BlockedTerm[]) {
  const folded = terms.map((t) => ({ ...t, folded: normalizeForMatching(t.term).folded })).filter((t) => t.folded);
  return (text: string) => {
    const haystack = normalizeForMatching(text).folded;
    return folded.filter((t) => haystack.includes(t.folded));
  };
}

const warmUpMs = time(warmUpChineseFolding);
const terms = makeTerms();
const texts = makeTexts(terms);
const matcher = compileTerms(terms);
const naive = naiveCompile(terms);

// Sanity: both should flag about the same texts (the matcher may flag fewer: word boundaries).
const matcherHits = texts.filter((t) => matcher.check(t).hits.length > 0).length;
const naiveHits = texts.filter((t) => naive(t).length > 0).length;

// Matcher and baseline runs are interleaved so background load hits both alike.
const samples = { compile: [] as number[], naiveCompile: [] as number[], checks: [] as number[], naiveChecks: [] as number[] };
throughput(texts, matcher.check, 5); // JIT warm-up, not measured
for (let run = 0; run < RUNS; run++) {
  samples.compile.push(time(() => compileTerms(terms)));
  samples.naiveCompile.push(time(() => naiveCompile(terms)));
  samples.checks.push(throughput(texts, matcher.check, 20));
  samples.naiveChecks.push(throughput(texts, naive, 2));
}
const compileMs = median(samples.compile);
const naiveCompileMs = median(samples.naiveCompile);
const checksPerSec = median(samples.checks);
const naiveChecksPerSec = median(samples.naiveChecks);

const results = {
  terms: TERMS,
  textLength: TEXT_LENGTH,
  texts: TEXTS,
  runs: RUNS,
  node: process.version,
  chineseConverterWarmUpMs: round(warmUpMs),
  compileMs: round(compileMs),
  naiveCompileMs: round(naiveCompileMs),
  checksPerSec: Math.round(checksPerSec),
  microsPerCheck: round(1e6 / checksPerSec),
  naiveChecksPerSec: Math.round(naiveChecksPerSec),
  naiveMicrosPerCheck: round(1e6 / naiveChecksPerSec),
  speedup: round(checksPerSec / naiveChecksPerSec),
  textsWithHits: { matcher: matcherHits, naive: naiveHits },
};

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

console.log(`terms ${TERMS}, texts ${TEXTS} x ${TEXT_LENGTH} chars, median of ${RUNS} runs (${process.version})`);
console.log(`chinese converter warm-up  ${results.chineseConverterWarmUpMs} ms (once per process)`);
console.log('                 aho-corasick        naive includes');
console.log(`compile          ${pad(`${results.compileMs} ms`)}${results.naiveCompileMs} ms`);
console.log(`checks/s         ${pad(String(results.checksPerSec))}${results.naiveChecksPerSec}`);
console.log(`µs/check         ${pad(String(results.microsPerCheck))}${results.naiveMicrosPerCheck}`);
console.log(`speedup          ${results.speedup}x`);
console.log(`texts with hits  ${pad(String(matcherHits))}${naiveHits}`);

function pad(s: string): string {
  return s.padEnd(20);
}

const out = join(dirname(fileURLToPath(import.meta.url)), 'results', 'term-matcher.json');
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
console.log(`wrote ${join('bench', 'results', 'term-matcher.json')}`);
