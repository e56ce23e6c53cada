import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';

/**
 * Starts the machine's Chromium headless for browser tests. CHROMIUM_PATH
 * overrides where it lives; the flags keep it quiet and offline apart from
 * the app under test.
 */
/** Debian's Chromium from PATH (the package installs `chromium`; some systems name it `chromium-browser`). */
function findChromium(): string {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    for (const name of ['chromium', 'chromium-browser']) {
      const candidate = path.join(dir, name);
      if (fs.existsSync(candidate)) return candidate;
    }
  }
  throw new Error('Chromium not found on PATH: install Debian\'s chromium package or set CHROMIUM_PATH');
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? findChromium(),
    args: [
      '--headless=new',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
      '--disable-quic',
    ],
  });
}

/** Whether this run should write screenshots (LOTUS_SCREENSHOTS=1), so CI leaves the tree clean. */
export const screenshotsWanted = process.env.LOTUS_SCREENSHOTS === '1';
