// Bounded work: a statement over STATEMENT_TIMEOUT_MS (PostgreSQL) and a request over
// REQUEST_TIMEOUT_MS (either database) end in a clear TIMEOUT error, not "Unexpected error".
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../src/config.ts';
import { openPostgres } from '../src/db.ts';
import { createLogger } from '../src/logger.ts';
import { createApp } from '../src/server.ts';
import { type TestDatabase, testDatabase, testDbKind } from './helpers/fixtures.ts';

// Statistics over every enrolment: many milliseconds on either database.
const SLOW = '{ cohortStats(groupBy: [HUB, ACADEMIC_YEAR, ROLE]) { total { enrolments } } }';
const ADMIN_KEY = 'timeouts-admin-key-0123456789abcdef0123456789';

let db: TestDatabase;
beforeAll(async () => {
  db = await testDatabase();
});
afterAll(async () => {
  await db?.close();
});

async function run(app: ReturnType<typeof createApp>) {
  const response = await app.fetch('http://localhost/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_KEY}` },
    body: JSON.stringify({ query: SLOW }),
  });
  return { status: response.status, body: (await response.json()) as any };
}

describe(`timeouts (${testDbKind()})`, () => {
  it('answers in full when nothing runs over', async () => {
    const app = createApp({ db, logger: createLogger('silent'), adminApiKey: ADMIN_KEY });
    const { body } = await run(app);
    expect(body.errors).toBeUndefined();
    expect(body.data.cohortStats.total.enrolments).toBeGreaterThan(0);
  });

  // PGlite answers within this thread, by microtasks alone: no timer can fire until it is done
  // (the README says so; the cost limits are the guard there). PostgreSQL answers over a socket.
  it.skipIf(testDbKind() !== 'postgres')('stops a request at its deadline with a TIMEOUT error', async () => {
    const app = createApp({
      db,
      logger: createLogger('silent'),
      adminApiKey: ADMIN_KEY,
      limits: { ...DEFAULT_LIMITS, requestTimeoutMs: 1 },
    });
    const { status, body } = await run(app);
    expect(status).toBe(503); // with Retry-After, never a masked 500
    expect(body.errors[0].extensions.code).toBe('TIMEOUT');
    expect(body.errors[0].message).toMatch(/ran for more than 1 ms and was stopped/);
  });

  it.skipIf(testDbKind() !== 'postgres')(
    'cancels a statement over statement_timeout on PostgreSQL and says so',
    async () => {
      const strict = await openPostgres(db.url!, 2, 1);
      try {
        const app = createApp({ db: strict, logger: createLogger('silent'), adminApiKey: ADMIN_KEY });
        const { status, body } = await run(app);
        expect(status).toBe(503);
        expect(body.errors[0].extensions.code).toBe('TIMEOUT');
        expect(body.errors[0].message).toMatch(/ran past its time limit/);
        expect(body.errors[0].message).not.toMatch(/Unexpected error/);
      } finally {
        await strict.close();
      }
    },
  );
});
