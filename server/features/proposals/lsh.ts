/**
 * Banding of MinHash signatures (locality-sensitive hashing), so near-duplicate
 * detection reads only candidates instead of a franchise's every signature.
 *
 * The 128-slot signature is cut into BANDS bands of ROWS slots; each band hashes to a
 * bucket, and two proposals are candidates when they share a bucket in any band. For
 * signatures whose Jaccard similarity is J, P(candidate) = 1 − (1 − J^ROWS)^BANDS. With
 * 42 × 3 (126 of the 128 slots) and the duplicate threshold J ≥ 0.5:
 *
 *   J    0.05   0.1   0.2   0.3   0.4   0.5    0.6      0.8
 *   P    0.5%   4%    29%   68%   93%   99.6%  99.99%   ~100%
 *
 * so a duplicate at the threshold is missed about 1 time in 250 (less above it), while
 * unrelated texts (5-character shingles give J ≈ 0–0.05) almost never become candidates.
 * The usual 32 × 4 would miss 13 % at J = 0.5; 64 × 2 would make a third of J = 0.2
 * pairs candidates. Candidates are then verified on the full 128-slot estimate.
 *
 * Changing BANDS or ROWS changes every bucket: it needs a migration that rebuilds
 * proposal_lsh_buckets (0005 shows the bucket function in SQL).
 */
export const BANDS = 42;
export const ROWS = 3;

const PRIME = 2147483647;
const K = 1000003;

/**
 * The (band, bucket) pairs of a signature. The bucket is a polynomial hash of the band's
 * slots modulo 2^31 − 1: exact in JS numbers and in Postgres bigint, so a migration can
 * compute the same buckets in SQL. Collisions only add candidates, never lose one.
 */
export function bandBuckets(signature: number[]): Array<{ band: number; bucket: number }> {
  const out: Array<{ band: number; bucket: number }> = [];
  for (let band = 0; band < BANDS; band++) {
    let h = 0;
    for (let r = 0; r < ROWS; r++) h = (h * K + (signature[band * ROWS + r] % PRIME)) % PRIME;
    out.push({ band, bucket: h });
  }
  return out;
}
