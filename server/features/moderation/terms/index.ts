/**
 * The blocked-term filter: folds texts and terms to a matching form and finds terms
 * with an Aho-Corasick automaton. See README.md in this folder for the folding and
 * word-boundary policy.
 */
export { compileTerms, type TermMatcher } from './matcher.js';
export { mergeVerdicts, type TermHit } from './verdict.js';
export { normalizeForMatching, type FoldedText } from './normalize.js';
export { warmUpChineseFolding } from './chinese.js';
