import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';

describe('configuration', () => {
  it('has the documented defaults with no variables set', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ PORT: 4000, HOST: '127.0.0.1', DATA_DIR: './.oncegraph', NODE_ENV: 'development', LIMIT_DEPTH: 8, LIMIT_ALIASES: 15, LIMIT_TOKENS: 2000, LIMIT_PAGE_SIZE: 100, LIMIT_BATCH_IDS: 100, LIMIT_BODY_BYTES: 100_000, SOURCE_TIMEOUT_MS: 2000 });
    expect(config.HUB_DATABASE_URL).toBeUndefined();
  });

  it('names every bad variable in one message', () => {
    const bad = () => loadConfig({ PORT: 'eighty', HUB_DATABASE_URL: 'mysql://x', NODE_ENV: 'staging', AUTH_JWT_SECRET: 'short' });
    expect(bad).toThrow(ConfigError);
    try {
      bad();
    } catch (error) {
      const message = (error as Error).message;
      for (const name of ['PORT', 'HUB_DATABASE_URL', 'NODE_ENV', 'AUTH_JWT_SECRET']) expect(message).toContain(name);
    }
  });

  it('treats empty strings as unset', () => {
    expect(loadConfig({ PORT: '', REGISTRY_DATABASE_URL: '' }).PORT).toBe(4000);
  });
});
