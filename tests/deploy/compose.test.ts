import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

// No Docker engine runs where the tests run, so the production files are checked for shape here.
const compose = parse(fs.readFileSync('docker-compose.yml', 'utf8'), { merge: true });
const nginx = fs.readFileSync('deploy/nginx.conf', 'utf8');

describe('docker-compose.yml (production)', () => {
  it('runs postgres, redis, two server replicas, workers and nginx', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['nginx', 'postgres', 'redis', 'server-1', 'server-2', 'workers']);
  });

  it('keeps Redis data with AOF and never evicts keys', () => {
    const cmd = compose.services.redis.command.join(' ');
    expect(cmd).toContain('--appendonly yes');
    expect(cmd).toContain('--maxmemory-policy noeviction');
  });

  it('points both replicas and the workers at the same Postgres and Redis, in production mode', () => {
    for (const name of ['server-1', 'server-2', 'workers']) {
      const env = compose.services[name].environment;
      expect(env.NODE_ENV, name).toBe('production');
      expect(env.DATABASE_URL, name).toMatch(/@postgres:5432\//);
      expect(env.REDIS_URL, name).toBe('redis://redis:6379');
    }
    expect(compose.services.workers.command.join(' ')).toContain('workers/main.ts');
  });

  it('nginx balances both replicas and upgrades websockets', () => {
    expect(nginx).toContain('server server-1:3000');
    expect(nginx).toContain('server server-2:3000');
    expect(nginx).toMatch(/proxy_set_header Upgrade \$http_upgrade/);
    expect(nginx).toMatch(/proxy_set_header Connection \$connection_upgrade/);
  });
});
