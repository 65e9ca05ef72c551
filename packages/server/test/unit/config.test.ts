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
      statementTimeoutMs: 10_000,
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

  it('never prints a secret back: a rejected ADMIN_API_KEY is described by its length', () => {
    const secret = 'hunter2-but-too-short';
    const [problem] = problems({ ADMIN_API_KEY: secret });
    expect(problem).toBe(
      `ADMIN_API_KEY must be at least 32 characters; generate one with \`openssl rand -hex 32\` (got ${secret.length} characters)`,
    );
    expect(problem).not.toContain(secret);
    const [url] = problems({ REDIS_URL: 'http://user:pa55word@cache' });
    expect(url).not.toContain('pa55word');
  });

  it('reads the public limits, budgets and operations mode, with safe defaults', () => {
    const defaults = loadConfig({}).limits;
    expect(defaults).toMatchObject({
      operations: 'any',
      cost: { anonymous: 5_000, key: 50_000 },
      maxBodyBytes: 100_000,
      trustProxy: { kind: 'none' },
      proxyHeader: 'x-forwarded-for',
      rate: { windowSeconds: 60, budgets: { ANONYMOUS: 20_000, NATIONAL_ADMIN: 1_000_000 } },
    });
    const custom = loadConfig({
      OPERATIONS: 'persisted',
      RATE_LIMIT: 'off',
      COST_LIMIT_ANONYMOUS: '800',
      TRUST_PROXY: '10.0.0.0/8, loopback',
      PROXY_HEADER: 'forwarded',
      MAX_BODY_BYTES: '20000',
    }).limits;
    expect(custom).toMatchObject({
      operations: 'persisted',
      rate: null,
      trustProxy: { kind: 'addresses', addresses: ['10.0.0.0/8', 'loopback'] },
      proxyHeader: 'forwarded',
      maxBodyBytes: 20_000,
    });
    expect(custom.cost.anonymous).toBe(800);
    expect(loadConfig({ TRUST_PROXY: '2' }).limits.trustProxy).toEqual({ kind: 'hops', hops: 2 });
    // A hop count believes any peer: the start-up log says to list the proxies instead.
    expect(loadConfig({ TRUST_PROXY: '2' }).notices.join()).toMatch(/list the proxies' addresses/);
    expect(problems({ TRUST_PROXY: 'the-lb' })[0]).toMatch(/^TRUST_PROXY must be a number of proxy hops/);
    expect(loadConfig({}).responseCacheTtlSeconds).toBe(60);
    expect(loadConfig({ RESPONSE_CACHE: 'off' }).responseCacheTtlSeconds).toBeNull();
    expect(loadConfig({ RESPONSE_CACHE_TTL_SECONDS: '5' }).responseCacheTtlSeconds).toBe(5);
    expect(problems({ OPERATIONS: 'some' })[0]).toMatch(/^OPERATIONS must be "any" or "persisted"/);
    expect(problems({ RATE_LIMIT: 'maybe' })[0]).toMatch(/^RATE_LIMIT must be "on" or "off"/);
    // A budget smaller than one operation's limit could never be spent on such an operation.
    expect(problems({ RATE_LIMIT_ANONYMOUS: '100', COST_LIMIT_ANONYMOUS: '500' })[0]).toMatch(
      /^RATE_LIMIT_ANONYMOUS \(100\) must be at least COST_LIMIT_ANONYMOUS \(500\)/,
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

  it('reads the fleet settings: workers, replica, streams and metrics, each refused where it cannot work', () => {
    const fleet = loadConfig({
      DATABASE_URL: 'postgres://db/maths',
      DATABASE_REPLICA_URL: 'postgres://replica/maths',
      WEB_CONCURRENCY: '4',
      MAX_STREAMS_PER_CLIENT: '2',
      METRICS_TOKEN: 'm'.repeat(32),
    });
    expect(fleet.workers).toBe(4);
    expect(fleet.database).toMatchObject({ kind: 'postgres', replicaUrl: 'postgres://replica/maths' });
    expect(fleet.limits.maxStreamsPerCaller).toBe(2);
    expect(fleet.metrics).toEqual({ token: 'm'.repeat(32), allowLocal: true, port: undefined });
    expect(loadConfig({ METRICS: 'off' }).metrics).toBeNull();
    // Production: "this machine" is not enough, since a proxy on it makes every request local.
    const production = loadConfig({ NODE_ENV: 'production' });
    expect(production.metrics).toBeNull();
    expect(production.notices.join()).toMatch(/\/metrics is off: .*METRICS_TOKEN.*METRICS_PORT/);
    expect(loadConfig({ NODE_ENV: 'production', METRICS_PORT: '9464' }).metrics).toEqual({
      token: undefined,
      allowLocal: false,
      port: 9464,
    });
    expect(loadConfig({ NODE_ENV: 'production', METRICS_TOKEN: 'm'.repeat(32) }).metrics).toMatchObject({
      allowLocal: false,
    });
    expect(problems({ METRICS_PORT: '4000' })[0]).toMatch(/METRICS_PORT must differ from PORT/);
    expect(loadConfig({}).workers).toBe(1);
    expect(problems({ WEB_CONCURRENCY: '2' })[0]).toMatch(/needs DATABASE_URL/);
    expect(problems({ DATABASE_REPLICA_URL: 'postgres://replica/maths' })[0]).toMatch(/needs DATABASE_URL/);
    const secret = problems({ METRICS_TOKEN: 'short' })[0]!;
    expect(secret).toMatch(/^METRICS_TOKEN must be at least 32 characters.*\(got 5 characters\)$/);
    expect(secret).not.toContain('short');
  });
});
