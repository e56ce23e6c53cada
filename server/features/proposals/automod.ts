import type { TermMatcher } from '../moderation/terms/index.js';
import { normalizeForMatching } from '../moderation/terms/index.js';
import { estimatedJaccard, minhash, shingles } from './similarity.js';

export const DUPLICATE_THRESHOLD = 0.5;
const LINK = /https?:\/\/\S+/gi;

export interface AutomodInput {
  title: string;
  plain: string;
  linkCount: number;
  authorRecentCount: number;
  authorIsNew: boolean;
  /** This proposal's MinHash signature (signatureOf). */
  signature: number[];
  /** Same-franchise candidates to compare against: those sharing an LSH bucket with it. */
  others: Array<{ id: string; minhash: number[]; duplicateOf: string | null }>;
}

export interface AutomodDecision {
  status: 'approved' | 'held' | 'rejected';
  reasons: string[];
  duplicateOf: string | null;
  minhash: number[];
}

/**
 * The moderation worker's decision on a new proposal: the same term lists as danmaku
 * (a block term rejects; hold and censor terms hold it for a moderator — censoring
 * rich text would change its meaning), spam signals, and near-duplicates of the same
 * franchise's proposals by MinHash over shingles (the candidates come from the LSH
 * band index; each is verified on the full signature), linked to their original for staff.
 */
export function decide(input: AutomodInput, matcher: TermMatcher): AutomodDecision {
  const text = `${input.title}\n${input.plain}`;
  const verdict = matcher.check(text);
  const reasons: string[] = verdict.hits.map((h) => `term:${h.action}:${h.term}`);
  let status: AutomodDecision['status'] = 'approved';
  const hold = (reason: string) => {
    reasons.push(reason);
    if (status === 'approved') status = 'held';
  };
  if (verdict.action === 'block') status = 'rejected';
  else if (verdict.action !== 'allow') status = 'held';

  if (input.linkCount > 3) hold('spam:links');
  if (input.linkCount > 0 && input.authorIsNew) hold('spam:link_from_new_account');
  if (/(.)\1{9,}/u.test(text) || repeatedWords(text)) hold('spam:repetition');
  if (shouting(text)) hold('spam:shouting');
  if (input.authorRecentCount >= 20) {
    reasons.push('spam:flooding');
    status = 'rejected';
  } else if (input.authorRecentCount >= 5) hold('spam:flooding');

  const { signature } = input;
  let best: { id: string; score: number } | null = null;
  for (const other of input.others) {
    const score = estimatedJaccard(signature, other.minhash);
    if (score >= DUPLICATE_THRESHOLD && (!best || score > best.score)) best = { id: other.duplicateOf ?? other.id, score };
  }
  if (best) hold(`duplicate:${best.id}:${best.score.toFixed(2)}`);
  return { status, reasons, duplicateOf: best?.id ?? null, minhash: signature };
}

/** The MinHash signature of a proposal's title and plain text, as duplicate detection reads it. */
export const signatureOf = (title: string, plain: string) => minhash(shingles(normalizeForMatching(`${title}\n${plain}`).folded));

export const countLinks = (html: string) => (html.match(/<a\s/gi)?.length ?? 0) + (html.replace(/<[^>]+>/g, ' ').match(LINK)?.length ?? 0);

function repeatedWords(text: string): boolean {
  const words = text.toLowerCase().match(/[a-z]{3,}/g) ?? [];
  if (words.length < 12) return false;
  const counts = new Map<string, number>();
  for (const w of words) counts.set(w, (counts.get(w) ?? 0) + 1);
  return Math.max(...counts.values()) / words.length > 0.4;
}

function shouting(text: string): boolean {
  const letters = text.match(/[A-Za-z]/g) ?? [];
  if (letters.length < 20) return false;
  return letters.filter((c) => c >= 'A' && c <= 'Z').length / letters.length > 0.7;
}
