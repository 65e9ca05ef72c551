import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.ts';

function problems(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('configuration', () => {
  it('defaults to the embedded database in ./.data on port 4000, migrating and seeding at start', () => {
    const config = loadConfig({});
    expect(config.port).toBe(4000);
    expect(config.database).toEqual({ kind: 'embedded', dataDir: `${process.cwd()}/.data` });
    expect(config.migrateOnStart).toBe(true);
    expect(config.seedOnStart).toBe(true);
  });

  it('uses PostgreSQL when DATABASE_URL is set, migrating only when asked', () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://app@db:5432/mathshubs', DATABASE_POOL_SIZE: '4' });
    expect(config.database).toEqual({
      kind: 'postgres',
      url: 'postgres://app@db:5432/mathshubs',
      poolSize: 4,
    });
    expect(config.migrateOnStart).toBe(false);
    expect(config.seedOnStart).toBe(false);
    expect(loadConfig({ DATABASE_URL: 'postgresql://x/y', MIGRATE_ON_START: 'true' }).migrateOnStart).toBe(
      true,
    );
  });

  it('honours PORT and DATA_DIR, and treats empty variables as unset', () => {
    const config = loadConfig({ PORT: '8080', DATA_DIR: '/tmp/mh', DATABASE_URL: '' });
    expect(config.port).toBe(8080);
    expect(config.database).toEqual({ kind: 'embedded', dataDir: '/tmp/mh' });
  });

  it('names the variable, says what is expected and shows what was given', () => {
    expect(problems({ PORT: 'eighty' })).toEqual([
      'PORT must be a whole number between 0 and 65535 (got "eighty")',
    ]);
    expect(problems({ PORT: '70000' })[0]).toMatch(/^PORT must be at most 65535/);
    expect(problems({ DATABASE_URL: 'mysql://localhost/db' })[0]).toMatch(
      /^DATABASE_URL must be a PostgreSQL connection URL such as postgres:\/\//,
    );
    expect(problems({ ADMIN_API_KEY: 'short' })[0]).toMatch(/^ADMIN_API_KEY must be at least 32 characters/);
    expect(problems({ MIGRATE_ON_START: 'maybe' })[0]).toMatch(
      /^MIGRATE_ON_START must be one of true, false/,
    );
  });

  it('reports every problem at once', () => {
    const error = (() => {
      try {
        loadConfig({ PORT: '-1', LOG_LEVEL: 'loud', DATABASE_POOL_SIZE: '0' });
      } catch (e) {
        return e as ConfigError;
      }
    })();
    expect(error?.problems).toHaveLength(3);
    expect(error?.message).toMatch(/^Invalid configuration:\n {2}- /);
  });
});
