// `npm run demo`: everything on the embedded defaults, from a fresh clone.
// Plain Node (no TypeScript) because it runs before dependencies are installed.
import { spawnSync, spawn } from 'node:child_process';
import fs from 'node:fs';

const step = (n, msg) => console.log(`\n[demo ${n}/4] ${msg}`);
const run = (cmd, args) => {
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`\n'${cmd} ${args.join(' ')}' failed; fix the error above and run 'npm run demo' again.`);
    process.exit(r.status ?? 1);
  }
};

step(1, 'dependencies');
if (!fs.existsSync('node_modules/.package-lock.json')) {
  // npm 11 may refuse `npm ci` over other platforms' optional packages (npm/cli#4828).
  const ci = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { stdio: 'inherit' });
  if (ci.status !== 0) run('npm', ['install', '--no-audit', '--no-fund']);
}
else console.log('already installed');

step(2, 'redis-server');
if (process.env.REDIS_URL) console.log('using REDIS_URL');
else if (spawnSync('redis-server', ['--version']).error) {
  console.error('No redis-server found and REDIS_URL is not set.\nInstall it (Debian/Ubuntu: sudo apt-get install redis-server; macOS: brew install redis) or set REDIS_URL.');
  process.exit(1);
} else console.log('found; a private one will run under .data/redis');

step(3, 'web client');
if (!fs.existsSync('dist/client/index.html')) run('npm', ['run', 'build:client']);
else console.log('already built (npm run build:client rebuilds it)');

step(4, 'migrate, seed and start (server + workers)');
const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts', '--demo'], { stdio: 'inherit' });
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code) => process.exit(code ?? 0));
