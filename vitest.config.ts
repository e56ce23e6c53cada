import net from 'node:net';
import { defineConfig } from 'vitest/config';

/** Whether the run will use embedded PGlite: the same choice as tests/support/global-setup.ts makes. */
async function embeddedRun(): Promise<boolean> {
  if (process.env.LOTUS_TEST_EMBEDDED === '1') return true;
  if (process.env.TEST_DATABASE_URL) return false;
  const up = await new Promise<boolean>((resolve) => {
    const sock = net.connect(5432, '127.0.0.1');
    sock.setTimeout(500);
    sock.once('connect', () => (sock.destroy(), resolve(true)));
    sock.once('error', () => (sock.destroy(), resolve(false)));
    sock.once('timeout', () => (sock.destroy(), resolve(false)));
  });
  return !up;
}

export default defineConfig(async () => {
  // On embedded PGlite the same work takes a few times longer (tests/support/allowance.ts).
  const slowdown = (await embeddedRun()) ? 3 : 1;
  return {
    test: {
      include: ['tests/**/*.test.ts'],
      globalSetup: ['tests/support/global-setup.ts'],
      pool: 'forks',
      // Two cores: two files at a time keeps timings honest without starving the servers.
      maxWorkers: 2,
      minWorkers: 1,
      testTimeout: 30_000 * slowdown,
      hookTimeout: 60_000 * slowdown,
      // expect.poll gives up after 1 s by default: too short for a page that loads while
      // another test file keeps both cores busy (a browser filter test failed in CI that way).
      expect: { poll: { timeout: 10_000 * slowdown, interval: 50 } },
      reporters: ['default'],
    },
  };
});
