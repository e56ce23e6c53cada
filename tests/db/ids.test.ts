import { describe, expect, it } from 'vitest';
import { uuidv7 } from '../../server/ids.js';

// RFC 9562: version 7 in the 13th hex digit, variant 10xx in the 17th.
const V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('danmaku ids (UUIDv7)', () => {
  it('carry their millisecond in the first 48 bits, with version 7 and the RFC variant', () => {
    const at = Date.parse('2026-12-07T06:30:00.123Z');
    const id = uuidv7(at);
    expect(id).toMatch(V7);
    expect(parseInt(id.slice(0, 8) + id.slice(9, 13), 16)).toBe(at);
    expect(uuidv7(0)).toMatch(/^00000000-0000-7/);
  });

  it('sort by creation time across milliseconds and never repeat', () => {
    const ids = Array.from({ length: 20_000 }, (_, i) => uuidv7(1_700_000_000_000 + Math.floor(i / 50)));
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(V7);
    const byTime = [...ids].sort();
    for (let i = 1; i < byTime.length; i++) {
      expect(parseInt(byTime[i].slice(0, 8) + byTime[i].slice(9, 13), 16)).toBeGreaterThanOrEqual(parseInt(byTime[i - 1].slice(0, 8) + byTime[i - 1].slice(9, 13), 16));
    }
    expect(byTime[0] < uuidv7(1_700_000_000_000 + 400)).toBe(true);
  });
});
