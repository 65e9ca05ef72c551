// The shared answer cache across a Redis outage (a private redis-server of this test's own, whose
// data survives its restart): an invalidation that could not reach Redis is made good when it is
// back, so no answer stored before the outage is served after it.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../src/logger.ts';
import {
  type AnswerCache,
  type CachedAnswer,
  createSharedState,
  type SharedState,
} from '../src/shared-state.ts';
import { sparePort } from './helpers/ports.ts';

const until = async (check: () => boolean | Promise<boolean>) => {
  for (let i = 0; i < 150; i++) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return false;
};

// Runs where Redis is (CI sets TEST_REDIS_URL; redis-server is then installed).
describe.runIf(process.env.TEST_REDIS_URL)('the shared answer cache across a Redis outage', () => {
  let dir: string;
  let port: number;
  let redis: ChildProcess | undefined;
  let shared: SharedState;
  let cache: AnswerCache;
  const start = () => {
    redis = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--dbfilename', 'dump.rdb', '--save', ''],
      { stdio: 'ignore' },
    );
  };
  /** Stops the server with its data saved, as a restart after maintenance would find it. */
  const stopSaving = async () => {
    const exited = new Promise((resolve) => redis?.once('exit', resolve));
    spawn('redis-cli', ['-p', String(port), 'shutdown', 'save'], { stdio: 'ignore' });
    await exited;
  };
  const answer = (seq: number, tags: string[]): CachedAnswer => ({
    prefix: '{"data":{"ok":true}',
    etag: '"x"',
    tags,
    seq,
    day: '2026-12-03',
  });
  const usable = () =>
    cache.sequence().then(
      () => true,
      () => false,
    );

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mh-redis-'));
    port = await sparePort();
    start();
    shared = createSharedState(`redis://127.0.0.1:${port}`, createLogger('silent'), 'outage');
    cache = shared.responseCache(60_000);
    expect(await until(usable)).toBe(true);
  });
  afterAll(async () => {
    await shared?.close();
    if (redis && redis.exitCode === null) redis.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  });

  it('drops what was stored before an invalidation it could not deliver, once Redis is back', async () => {
    const kept = answer(await cache.sequence(), ['Cohort:1']);
    const other = answer(await cache.sequence(), ['Cohort:2']);
    await cache.set('kept', kept, 60_000);
    await cache.set('other', other, 60_000);
    expect(await cache.get('kept')).toMatchObject({ prefix: kept.prefix });

    await stopSaving();
    expect(await until(() => !shared.status().healthy)).toBe(true);
    // A write meanwhile: its invalidation cannot reach Redis, and nothing is answered from it.
    await cache.invalidate(['Cohort:1']);
    expect(await cache.get('other')).toBeNull();

    start();
    expect(await until(usable)).toBe(true);
    // Both entries survived the restart in Redis, but neither may be served: the one the write
    // touched, nor the other (which writes were missed is unknown, so everything is dropped).
    expect(await cache.get('kept')).toBeNull();
    expect(await cache.get('other')).toBeNull();
    // Answers stored from now on are served again.
    const fresh = answer(await cache.sequence(), ['Cohort:1']);
    await cache.set('fresh', fresh, 60_000);
    expect(await cache.get('fresh')).toMatchObject({ prefix: fresh.prefix });
  });
});
