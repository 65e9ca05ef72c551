// Live streams with an end: a lifetime and an idle limit after which the server ends a stream
// cleanly and the SDK reopens it without the caller noticing; a cap per client across instances
// (shared state) and per instance; and every delivered event charged to the subscriber's budget.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '../../sdk/src/index.ts';
import { DEFAULT_LIMITS, type Limits } from '../src/config.ts';
import { createLogger } from '../src/logger.ts';
import { createSharedState } from '../src/shared-state.ts';
import { serveOnLocalPort, testApi } from './helpers/api.ts';
import { testDbKind } from './helpers/fixtures.ts';

const UPDATE = `mutation($input: UpdateCohortInput!) { updateCohort(input: $input) { cohort { capacity } userErrors { code } } }`;
const STREAM = (code: string) =>
  JSON.stringify({ query: `subscription { cohortUpdated(code: "${code}") { code capacity } }` });

/** A served app over its own database; `limits` say what each test shortens, and why. */
async function serve(limits: Partial<Limits>, options: Parameters<typeof testApi>[0] = {}) {
  const api = await testApi({ limits: { ...DEFAULT_LIMITS, ...limits }, ...options });
  const server = await serveOnLocalPort(api.app);
  const [row] = await api.db.sql.query<{ code: string; capacity: number }>(
    `SELECT c.code, c.capacity FROM cohort c WHERE c.status = 'RECRUITING' ORDER BY c.code LIMIT 1`,
  );
  const { cohort } = await api.ok('query($code: String!) { cohort(code: $code) { id } }', {
    code: row!.code,
  });
  let capacity = row!.capacity;
  /** Commits a change to the cohort, which every subscriber to it hears of. */
  const change = async () => {
    const result = await api.ok(UPDATE, { input: { cohortId: cohort.id, capacity: ++capacity } }, 'admin');
    expect(result.updateCohort.userErrors).toEqual([]);
    return capacity;
  };
  return {
    api,
    url: server.url,
    code: row!.code,
    change,
    close: async () => {
      await server.close();
      await api.close();
    },
  };
}

/** Opens a raw SSE stream and collects its events as they come. */
async function rawStream(url: string, body: string, headers: Record<string, string> = {}) {
  const controller = new AbortController();
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...headers },
    body,
    signal: controller.signal,
  });
  const events: { event: string; data: any }[] = [];
  const done = (async () => {
    if (response.status !== 200 || !response.body) return;
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    try {
      for (;;) {
        const { value, done: ended } = await reader.read();
        if (ended) return;
        buffer += value;
        for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
          const lines = buffer.slice(0, end).split('\n');
          buffer = buffer.slice(end + 2);
          const event =
            lines
              .find((l) => l.startsWith('event:'))
              ?.slice(6)
              .trim() ?? 'message';
          const data = lines
            .filter((l) => l.startsWith('data:'))
            .map((l) => l.slice(5))
            .join('\n');
          if (event !== 'message' || data) events.push({ event, data: data ? JSON.parse(data) : null });
        }
      }
    } catch {
      // aborted
    }
  })();
  return { response, events, done, close: () => controller.abort() };
}

async function until(check: () => boolean | Promise<boolean>, ms = 10_000) {
  for (const start = Date.now(); Date.now() - start < ms; ) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  return check();
}

describe(`live streams with an end (${testDbKind()})`, () => {
  let served: Awaited<ReturnType<typeof serve>>;
  beforeAll(async () => {
    // Lifetime 1.5 s and idle 1 s, where production has an hour and a quarter of one: so that the
    // test sees streams end.
    served = await serve({ streamLifetimeMs: 1_500, streamIdleMs: 1_000 });
  });
  afterAll(async () => {
    await served?.close();
  });

  it('ends an idle stream cleanly, saying to reopen it', async () => {
    const stream = await rawStream(served.url, STREAM(served.code));
    expect(stream.response.status).toBe(200);
    await stream.done; // the server ended it
    expect(stream.events).toEqual([
      { event: 'next', data: { extensions: { stream: { ended: 'idle', reopen: true } } } },
      { event: 'complete', data: null },
    ]);
  });

  it('ends a busy stream at its lifetime, whatever its events', async () => {
    const stream = await rawStream(served.url, STREAM(served.code));
    const started = Date.now();
    // An event every 400 ms keeps it from idling.
    while (
      !(await Promise.race([
        stream.done.then(() => true),
        new Promise((r) => setTimeout(() => r(false), 400)),
      ]))
    )
      await served.change();
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_400);
    const data = stream.events.filter((e) => e.event === 'next').map((e) => e.data);
    expect(data.length).toBeGreaterThanOrEqual(2);
    expect(data.at(-1)).toEqual({ extensions: { stream: { ended: 'lifetime', reopen: true } } });
    expect(stream.events.at(-1)?.event).toBe('complete');
  });

  it('the SDK reopens a stream the server ended, so that its caller sees every later event', async () => {
    const updates = createClient({ url: served.url }).cohortUpdated({ code: served.code });
    const seen: number[] = [];
    const reading = (async () => {
      for await (const { cohortUpdated } of updates) {
        seen.push(cohortUpdated.capacity);
        if (seen.length === 3) return;
      }
    })();
    // Each change after the previous stream has ended (idle after 1 s): three streams, one iteration.
    const sent: number[] = [];
    for (let i = 0; i < 3; i++) {
      await new Promise((r) => setTimeout(r, 1_300));
      sent.push(await served.change());
      await until(() => seen.length === i + 1, 5_000);
    }
    await reading;
    expect(seen).toEqual(sent);
  });
});

describe(`each delivered event is charged (${testDbKind()})`, () => {
  it('charges an event what the subscription costs, and ends the stream when the budget is spent', async () => {
    // A small anonymous budget (production: 20,000 a minute), so that events can spend it.
    const served = await serve({
      rate: { ...DEFAULT_LIMITS.rate!, budgets: { ...DEFAULT_LIMITS.rate!.budgets, ANONYMOUS: 12 } },
    });
    try {
      const stream = await rawStream(served.url, STREAM(served.code));
      expect(stream.response.status).toBe(200);
      for (
        let i = 0;
        i < 20 && !(await Promise.race([stream.done.then(() => true), Promise.resolve(false)]));
        i++
      ) {
        await served.change();
        await new Promise((r) => setTimeout(r, 50));
      }
      await stream.done;
      const data = stream.events.filter((e) => e.event === 'next').map((e) => e.data);
      const delivered = data.filter((d) => d.data);
      // The subscription costs 1 point to start and each event 1: eleven events fit in 12 points.
      expect(delivered.length).toBe(11);
      expect(data.at(-1).errors[0].extensions.code).toBe('RATE_LIMITED');
    } finally {
      await served.close();
    }
  });
});

describe(`stream caps (${testDbKind()})`, () => {
  it('holds an instance to its most streams, for everyone together (503 with Retry-After)', async () => {
    // Three in all, and clients told apart by a trusted proxy's header, so that no client cap applies.
    const served = await serve({ maxStreams: 3, trustProxy: { kind: 'hops', hops: 1 } });
    const open = [];
    try {
      for (let i = 0; i < 3; i++) {
        const stream = await rawStream(served.url, STREAM(served.code), {
          'x-forwarded-for': `198.51.100.${i}`,
        });
        expect(stream.response.status).toBe(200);
        open.push(stream);
      }
      const refused = await rawStream(served.url, STREAM(served.code), { 'x-forwarded-for': '198.51.100.9' });
      expect(refused.response.status).toBe(503);
      expect(refused.response.headers.get('retry-after')).toBe('60');
      open[0]!.close();
      await until(async () => {
        const again = await rawStream(served.url, STREAM(served.code), { 'x-forwarded-for': '198.51.100.9' });
        again.close();
        return again.response.status === 200;
      });
    } finally {
      for (const stream of open) stream.close();
      await served.close();
    }
  });

  const REDIS = process.env.TEST_REDIS_URL;
  it.skipIf(!REDIS)('caps a client’s streams across instances that share state (Redis)', async () => {
    // Two instances over one Redis namespace, as two workers or two machines of a fleet are.
    const namespace = `test-${randomUUID()}`;
    const states = [0, 1].map(() => createSharedState(REDIS, createLogger('silent'), namespace));
    await until(() => states.every((s) => s.status().healthy));
    const a = await serve({ maxStreamsPerCaller: 2 }, { sharedState: states[0] });
    const b = await serve({ maxStreamsPerCaller: 2 }, { sharedState: states[1] });
    const open = [];
    try {
      open.push(await rawStream(a.url, STREAM(a.code)));
      open.push(await rawStream(b.url, STREAM(b.code)));
      expect(open.map((s) => s.response.status)).toEqual([200, 200]);
      const third = await rawStream(a.url, STREAM(a.code));
      expect(third.response.status).toBe(429);
      // Closing one on B frees a place on A.
      open[1]!.close();
      expect(
        await until(async () => {
          const again = await rawStream(a.url, STREAM(a.code));
          if (again.response.status === 200) open.push(again);
          return again.response.status === 200;
        }),
      ).toBe(true);
    } finally {
      for (const stream of open) stream.close();
      await a.close();
      await b.close();
      await Promise.all(states.map((s) => s.close()));
    }
  });
});

describe.skipIf(!process.env.TEST_REDIS_URL)('shared live events (Redis)', () => {
  it('lets a stream end after its process closed the shared state, without an unhandled rejection', async () => {
    // A stream's teardown can run after shutdown has disconnected Redis; unsubscribing then must
    // be quiet, or the process reports "Connection is closed" as an unhandled rejection.
    const state = createSharedState(
      process.env.TEST_REDIS_URL,
      createLogger('silent'),
      `test-${randomUUID()}`,
    );
    const events = state.eventTarget()!;
    const listener = () => {};
    events.addEventListener('cohortUpdated', listener);
    await state.close();
    const rejections: unknown[] = [];
    const note = (reason: unknown) => rejections.push(reason);
    process.on('unhandledRejection', note);
    try {
      events.removeEventListener('cohortUpdated', listener);
      await new Promise((resolve) => setTimeout(resolve, 100));
    } finally {
      process.off('unhandledRejection', note);
    }
    expect(rejections).toEqual([]);
  });
});
