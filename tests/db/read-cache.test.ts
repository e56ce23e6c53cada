import { describe, expect, it } from 'vitest';
import { createReadCache } from '../../server/read-cache.js';

/** A loader whose answers the test releases one by one, counting the readings it was asked for. */
function controlledLoader() {
  const calls: Array<{ key: string; resolve: (v: string) => void; reject: (e: Error) => void }> = [];
  return {
    calls,
    load: (key: string) => new Promise<string>((resolve, reject) => calls.push({ key, resolve, reject })),
  };
}

const settle = () => new Promise((r) => setImmediate(r));

describe('read cache', () => {
  it('concurrent readers of a missing key share one reading', async () => {
    let t = 0;
    const loader = controlledLoader();
    const cache = createReadCache({ load: loader.load, now: () => t, maxAgeMs: 1_000 });
    const readers = Array.from({ length: 50 }, () => cache.get('room'));
    await settle();
    expect(loader.calls).toHaveLength(1);
    loader.calls[0].resolve('v1');
    expect(await Promise.all(readers)).toEqual(Array(50).fill('v1'));
  });

  it('serves a young value at once, refreshes it in the background past half its age, and waits once it is too old', async () => {
    let t = 0;
    const loader = controlledLoader();
    const cache = createReadCache({ load: loader.load, now: () => t, maxAgeMs: 1_000 });
    const first = cache.get('room');
    await settle();
    loader.calls[0].resolve('v1');
    expect(await first).toBe('v1');

    t = 400;
    expect(await cache.get('room')).toBe('v1');
    expect(loader.calls).toHaveLength(1);

    // Past half its age: answered from the cache, one background reading for many readers.
    t = 600;
    expect(await Promise.all([cache.get('room'), cache.get('room'), cache.get('room')])).toEqual(['v1', 'v1', 'v1']);
    expect(loader.calls).toHaveLength(2);
    loader.calls[1].resolve('v2');
    await settle();
    expect(await cache.get('room')).toBe('v2');

    // Too old (the refreshed value was read at 600): the reader waits for a new reading.
    t = 1_700;
    let answered: string | null = null;
    const waiting = cache.get('room').then((v) => (answered = v));
    await settle();
    expect(answered).toBeNull();
    expect(loader.calls).toHaveLength(3);
    loader.calls[2].resolve('v3');
    await waiting;
    expect(answered).toBe('v3');
  });

  it('keeps serving the last value while readings fail, tells onStale, and recovers', async () => {
    let t = 0;
    const loader = controlledLoader();
    const stale: string[] = [];
    const cache = createReadCache({ load: loader.load, now: () => t, maxAgeMs: 1_000, onStale: (key, err) => stale.push(`${key}: ${err.message}`) });
    const first = cache.get('terms');
    await settle();
    loader.calls[0].resolve('list-1');
    await first;

    t = 5_000;
    const during = cache.get('terms');
    await settle();
    loader.calls[1].reject(new Error('connection refused'));
    expect(await during).toBe('list-1');
    expect(stale).toEqual(['terms: connection refused']);

    const next = cache.get('terms');
    await settle();
    expect(loader.calls).toHaveLength(3); // tried again, not given up
    loader.calls[2].resolve('list-2');
    expect(await next).toBe('list-2');
  });

  it('with nothing cached, a failed reading reaches the caller and is not remembered', async () => {
    const loader = controlledLoader();
    const cache = createReadCache({ load: loader.load, now: () => 0, maxAgeMs: 1_000 });
    const failing = cache.get('room');
    await settle();
    loader.calls[0].reject(new Error('not found'));
    await expect(failing).rejects.toThrow('not found');
    const again = cache.get('room');
    await settle();
    expect(loader.calls).toHaveLength(2);
    loader.calls[1].resolve('created since');
    expect(await again).toBe('created since');
  });

  it('after invalidate the next read waits for a new value, and a reading begun before it is not kept', async () => {
    let t = 0;
    const loader = controlledLoader();
    const cache = createReadCache({ load: loader.load, now: () => t, maxAgeMs: 1_000 });
    const first = cache.get('rules');
    await settle();
    loader.calls[0].resolve('old');
    await first;

    t = 600; // a background reading starts…
    expect(await cache.get('rules')).toBe('old');
    expect(loader.calls).toHaveLength(2);
    cache.invalidate('rules'); // …then this process writes new rules
    const fresh = cache.get('rules');
    await settle();
    expect(loader.calls).toHaveLength(3);
    loader.calls[1].resolve('old'); // the reading from before the write answers late
    loader.calls[2].resolve('new');
    expect(await fresh).toBe('new');
    expect(await cache.get('rules')).toBe('new');
  });
});
