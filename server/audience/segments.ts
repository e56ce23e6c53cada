import type { SegmentBreakdown } from '../../contracts/polls.js';

export const MIN_SEGMENT_SIZE = 10;

export interface VoterFacts {
  /** What this voter chose: poll options, or support/oppose. */
  optionIds: string[];
  birthYear: number | null;
  region: string | null;
  gender: string | null;
  returning: boolean;
}

function ageBand(birthYear: number | null, year: number): string {
  if (birthYear === null) return 'unknown';
  const age = year - birthYear;
  if (age < 18) return 'under 18';
  if (age < 25) return '18-24';
  if (age < 35) return '25-34';
  if (age < 45) return '35-44';
  return '45+';
}

type Segment = { segment: string; voters: number; tallies: Record<string, number> };

function group(rows: VoterFacts[], segmentOf: (v: VoterFacts) => string, choiceIds: string[]): Segment[] {
  const bySegment = new Map<string, Segment>();
  for (const v of rows) {
    const name = segmentOf(v);
    let s = bySegment.get(name);
    if (!s) bySegment.set(name, (s = { segment: name, voters: 0, tallies: Object.fromEntries(choiceIds.map((id) => [id, 0])) }));
    s.voters++;
    for (const o of v.optionIds) s.tallies[o] = (s.tallies[o] ?? 0) + 1;
  }
  return [...bySegment.values()].sort((a, b) => b.voters - a.voters);
}

function mergeSmall(segments: Segment[]): Segment[] {
  const kept = segments.filter((s) => s.voters >= MIN_SEGMENT_SIZE).sort((a, b) => a.voters - b.voters);
  const small = segments.filter((s) => s.voters < MIN_SEGMENT_SIZE);
  if (!small.length) return kept.reverse();
  const other: Segment = { segment: 'other', voters: 0, tallies: {} };
  const absorb = (s: Segment) => {
    other.voters += s.voters;
    for (const [o, n] of Object.entries(s.tallies)) other.tallies[o] = (other.tallies[o] ?? 0) + n;
  };
  small.forEach(absorb);
  while (other.voters < MIN_SEGMENT_SIZE && kept.length) absorb(kept.shift()!);
  return [...kept.reverse(), other];
}

/**
 * Results by audience segment: age band, region and gender (opt-in profile facts) and
 * new vs returning viewers. Segments with fewer than MIN_SEGMENT_SIZE voters are merged
 * into "other"; while "other" is still that small the next-smallest segment joins it
 * (withholding it instead would let anyone recover it by subtracting the other segments
 * from the overall result), so no small group's choices can be read off a breakdown.
 */
export function segmentBreakdown(rows: VoterFacts[], choiceIds: string[], nowMs: number): SegmentBreakdown {
  const year = new Date(nowMs).getUTCFullYear();
  const dimensions: Record<string, (v: VoterFacts) => string> = {
    age: (v) => ageBand(v.birthYear, year),
    region: (v) => v.region ?? 'unknown',
    // 'other' is taken by the merged small segments; a self-described gender gets its own name.
    gender: (v) => (v.gender === 'other' ? 'another gender' : (v.gender ?? 'unknown')),
    viewer: (v) => (v.returning ? 'returning' : 'new'),
  };
  const result: SegmentBreakdown = { minSegmentSize: MIN_SEGMENT_SIZE, dimensions: {} };
  for (const [name, segmentOf] of Object.entries(dimensions)) result.dimensions[name] = mergeSmall(group(rows, segmentOf, choiceIds));
  return result;
}

/** Reads voter facts from a query returning option_ids, birth_year, region, gender, returning. */
export function toVoterFacts(r: Record<string, unknown>): VoterFacts {
  return {
    optionIds: r.option_ids as string[],
    birthYear: (r.birth_year as number | null) ?? null,
    region: (r.region as string | null) ?? null,
    gender: (r.gender as string | null) ?? null,
    returning: Boolean(r.returning),
  };
}
