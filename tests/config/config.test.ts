import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/config.js';

describe('configuration', () => {
  it('has a documented default for every setting', () => {
    const config = loadConfig({});
    expect(config.PORT).toBe(3000);
    expect(config.REDIS_PREFIX).toBe('lotus');
    expect(config.DATABASE_SCHEMA).toBe('public');
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.secureCookies).toBe(false);
  });

  it('lists every problem at once', () => {
    let error: ConfigError | undefined;
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', REDIS_PREFIX: 'has space', LOG_LEVEL: 'loud', NODE_ENV: 'production' });
    } catch (err) {
      error = err as ConfigError;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const fields = error!.problems.map((p) => p.split(':')[0]).sort();
    expect(fields).toEqual(['DATABASE_URL', 'LOG_LEVEL', 'PORT', 'REDIS_PREFIX']);
  });

  it('requires a JWT secret in production and the admin handle and password together', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/LOTUS_JWT_SECRET: required in production/);
    expect(() => loadConfig({ LOTUS_ADMIN_HANDLE: 'admin' })).toThrow(/go together/);
    const prod = loadConfig({ NODE_ENV: 'production', LOTUS_JWT_SECRET: 'x'.repeat(32) });
    expect(prod.secureCookies).toBe(true);
  });

  it('parses lists and numbers from strings', () => {
    const config = loadConfig({ CORS_ORIGINS: 'https://a.example, https://b.example', PORT: '8080', SECURE_COOKIES: 'false' });
    expect(config.CORS_ORIGINS).toEqual(['https://a.example', 'https://b.example']);
    expect(config.PORT).toBe(8080);
    expect(config.secureCookies).toBe(false);
  });

  it('no module but the config module reads process.env', async () => {
    const { execSync } = await import('node:child_process');
    const hits = execSync("grep -rln 'process\\.env' server workers contracts client/src || true", { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .sort();
    expect(hits).toEqual(['server/config.ts']);
  });
});
