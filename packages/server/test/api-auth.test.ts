// Authentication and the authorisation matrix: every path to a person's email, for every role.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Caller, type TestApi, testApi } from './helpers/api.ts';
import { testDbKind } from './helpers/fixtures.ts';

let api: TestApi;
let person: {
  email: string;
  trn: string;
  participantId: string;
  enrolmentId: string;
  applicationId: string;
  cohort: string;
  urn: string;
};

const gid = (type: string, id: number) => Buffer.from(`${type}:${id}`).toString('base64');

beforeAll(async () => {
  api = await testApi();
  // A WM1 participant who led a WM1 cohort, is enrolled in one, attended a session, and was named
  // as an advocate on an application.
  const [row] = await api.db.sql.query<{
    email: string;
    trn: string;
    participant_id: number;
    enrolment_id: number;
    application_id: number;
    code: string;
    urn: string;
  }>(
    `SELECT p.email, p.trn, p.id AS participant_id, e.id AS enrolment_id, e.application_id, c.code, s.urn
       FROM enrolment e JOIN participant p ON p.id = e.participant_id JOIN cohort c ON c.id = e.cohort_id
       JOIN hub h ON h.id = c.hub_id JOIN school s ON s.id = p.school_id
      WHERE h.code = 'WM1' AND e.application_id IS NOT NULL
        AND EXISTS (SELECT 1 FROM attendance a WHERE a.enrolment_id = e.id)
      ORDER BY e.id LIMIT 1`,
  );
  await api.db.sql.query('UPDATE cohort SET lead_id = $1 WHERE code = $2', [row!.participant_id, row!.code]);
  person = {
    email: row!.email,
    trn: row!.trn,
    participantId: gid('Participant', row!.participant_id),
    enrolmentId: gid('Enrolment', row!.enrolment_id),
    applicationId: gid('Application', row!.application_id),
    cohort: row!.code,
    urn: row!.urn,
  };
});
afterAll(async () => {
  await api?.close();
});

const PATHS: Record<string, string> = {
  'participants (root)': `query($cohort: String!) { participants(first: 100, filter: { cohortCode: $cohort }) { nodes { email trn } } }`,
  'cohort → enrolments → participant': `query($cohort: String!) { cohort(code: $cohort) { enrolments(first: 100) { nodes { participant { email trn } } } } }`,
  'cohort → lead': `query($cohort: String!) { cohort(code: $cohort) { lead { email trn } } }`,
  'school → enrolments → participant': `query($urn: String!) { school(urn: $urn) { enrolments(first: 100) { nodes { participant { email trn } } } } }`,
  'cohort → sessions → attendance → enrolment → participant': `query($cohort: String!) { cohort(code: $cohort) { sessions { attendance { enrolment { participant { email trn } } } } } }`,
  'node(Participant)': `query($participant: ID!) { node(id: $participant) { ... on Participant { email trn } } }`,
  'nodes([Participant])': `query($participant: ID!) { nodes(ids: [$participant]) { ... on Participant { email trn } } }`,
  'node(Enrolment) → participant': `query($enrolment: ID!) { node(id: $enrolment) { ... on Enrolment { participant { email trn } } } }`,
  'node(Application) → advocates': `query($application: ID!) { node(id: $application) { ... on Application { advocates { email trn } } } }`,
  'cohort → applications → advocates': `query($cohort: String!) { cohort(code: $cohort) { applications(first: 100) { nodes { advocates { email trn } } } } }`,
  'node(Participant) → enrolments → cohort → enrolments → participant': `query($participant: ID!) { node(id: $participant) { ... on Participant { enrolments { nodes { cohort { enrolments { nodes { participant { email } } } } } } } } }`,
};

const ALLOWED: Record<Caller, boolean> = {
  anonymous: false,
  analyst: false,
  nw6Staff: false,
  wm1Staff: true,
  admin: true,
  bootstrapAdmin: true,
};

describe(`who can read a person's email and TRN (${testDbKind()})`, () => {
  for (const [path, query] of Object.entries(PATHS)) {
    for (const [caller, allowed] of Object.entries(ALLOWED) as [Caller, boolean][]) {
      it(`${path}: ${caller} ${allowed ? 'can' : 'cannot'}`, async () => {
        const result = await api.gql(
          query,
          {
            cohort: person.cohort,
            urn: person.urn,
            participant: person.participantId,
            enrolment: person.enrolmentId,
            application: person.applicationId,
          },
          caller,
        );
        expect(result.status).toBe(200);
        const body = JSON.stringify(result.data);
        expect(body.includes(person.email)).toBe(allowed);
        if (!allowed) expect(body.includes(`"trn":"${person.trn}"`)).toBe(false);
        expect(JSON.stringify(result.errors ?? []).includes(person.email)).toBe(false);
        for (const error of result.errors ?? []) expect(error.message).not.toMatch(/Unexpected error/);
      });
    }
  }

  it('hub staff do not see people of another hub in lists: NW6 staff get no WM1 participants', async () => {
    const result = await api.ok(
      '{ participants(first: 100, filter: { hubCode: "WM1" }) { totalCount } }',
      {},
      'nw6Staff',
    );
    expect(result.participants.totalCount).toBe(0);
    const own = await api.ok(
      '{ participants(first: 1, filter: { hubCode: "NW6" }) { totalCount } }',
      {},
      'nw6Staff',
    );
    expect(own.participants.totalCount).toBeGreaterThan(0);
  });

  it('anonymous callers and analysts are told the people list needs another key', async () => {
    const anonymous = await api.gql('{ participants { totalCount } }');
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(anonymous.errors?.[0]?.message).toMatch(/needs an API key/);
    const analyst = await api.gql('{ participants { totalCount } }', {}, 'analyst');
    expect(analyst.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});

describe(`authentication (${testDbKind()})`, () => {
  it('answers 401 with a reason for an unknown key', async () => {
    const result = await api.gql('{ viewer { role } }', {}, 'anonymous', {
      authorization: 'Bearer not-a-key',
    });
    expect(result.status).toBe(401);
    expect(result.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(result.errors?.[0]?.message).toMatch(/This API key is not known/);
  });

  it('answers 401 for a malformed Authorization header', async () => {
    const result = await api.gql('{ viewer { role } }', {}, 'anonymous', {
      authorization: 'Basic dXNlcjpwYXNz',
    });
    expect(result.status).toBe(401);
    expect(result.errors?.[0]?.message).toBe('The Authorization header must be "Bearer <api key>".');
  });

  it('lets a national admin create a hub key that works at once, and revoke it so it stops', async () => {
    const created = await api.ok(
      `mutation { createApiKey(input: { role: HUB_STAFF, hubCode: "se3", label: "Solent website" }) {
          secret apiKey { id role label hub { code } revokedAt } userErrors { field message code } } }`,
      {},
      'bootstrapAdmin',
    );
    const { secret, apiKey, userErrors } = created.createApiKey;
    expect(userErrors).toEqual([]);
    expect(apiKey).toMatchObject({
      role: 'HUB_STAFF',
      label: 'Solent website',
      hub: { code: 'SE3' },
      revokedAt: null,
    });
    expect(secret).toMatch(/^mh_[A-Za-z0-9_-]{43}$/);
    const stored = await api.db.prisma.apiKey.findFirstOrThrow({ where: { label: 'Solent website' } });
    expect(stored.secretHash).not.toContain(secret);

    const asNew = { authorization: `Bearer ${secret}` };
    expect((await api.gql('{ viewer { role hub { code } } }', {}, 'anonymous', asNew)).data.viewer).toEqual({
      role: 'HUB_STAFF',
      hub: { code: 'SE3' },
    });

    const revoked = await api.ok(
      'mutation($id: ID!) { revokeApiKey(input: { id: $id }) { apiKey { revokedAt } userErrors { code } } }',
      { id: apiKey.id },
      'admin',
    );
    expect(revoked.revokeApiKey.apiKey.revokedAt).toBeTruthy();
    const after = await api.gql('{ viewer { role } }', {}, 'anonymous', asNew);
    expect(after.status).toBe(401);
    expect(after.errors?.[0]?.message).toMatch(/was revoked on \d{4}-\d{2}-\d{2}/);

    const audit = await api.db.prisma.auditLog.findMany({
      where: { entityType: 'ApiKey', entityId: String(stored.id) },
      orderBy: { id: 'asc' },
    });
    expect(audit.map((a) => a.action)).toEqual(['createApiKey', 'revokeApiKey']);
  });

  it('refuses key management to everyone but national admins, as a userError and a top-level error', async () => {
    for (const caller of ['anonymous', 'analyst', 'wm1Staff'] as const) {
      const result = await api.gql(
        'mutation { createApiKey(input: { role: ANALYST, label: "x" }) { secret userErrors { code message } } }',
        {},
        caller,
      );
      expect(result.data.createApiKey).toEqual({
        secret: null,
        userErrors: [{ code: 'FORBIDDEN', message: 'Only a national admin may manage API keys.' }],
      });
      expect(result.errors).toEqual([
        expect.objectContaining({
          message: 'Only a national admin may manage API keys.',
          extensions: { code: 'FORBIDDEN' },
        }),
      ]);
      // A caller who selected only the secret still learns why it is null.
      const bare = await api.gql(
        'mutation { createApiKey(input: { role: ANALYST, label: "x" }) { secret } }',
        {},
        caller,
      );
      expect(bare.data.createApiKey.secret).toBeNull();
      expect(bare.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
  });

  it('explains bad input to createApiKey field by field', async () => {
    const result = await api.ok(
      `mutation { a: createApiKey(input: { role: HUB_STAFF, label: "  " }) { userErrors { field code } }
                  b: createApiKey(input: { role: HUB_STAFF, hubCode: "ZZ9", label: "x" }) { userErrors { field code message } }
                  c: createApiKey(input: { role: ANALYST, hubCode: "WM1", label: "x" }) { userErrors { field code } } }`,
      {},
      'admin',
    );
    expect(result.a.userErrors).toEqual([
      { field: ['input', 'label'], code: 'INVALID' },
      { field: ['input', 'hubCode'], code: 'INVALID' },
    ]);
    expect(result.b.userErrors).toEqual([
      { field: ['input', 'hubCode'], code: 'NOT_FOUND', message: 'There is no hub "ZZ9".' },
    ]);
    expect(result.c.userErrors).toEqual([{ field: ['input', 'hubCode'], code: 'INVALID' }]);
  });

  it('API keys are not readable by anyone but national admins, even by node', async () => {
    const key = await api.db.prisma.apiKey.findFirstOrThrow({ where: { label: 'WM1 staff' } });
    const query = 'query($id: ID!) { node(id: $id) { ... on ApiKey { label } } }';
    const id = gid('ApiKey', key.id);
    expect((await api.gql(query, { id }, 'wm1Staff')).data.node).toBeNull();
    expect((await api.ok(query, { id }, 'admin')).node).toEqual({ label: 'WM1 staff' });
  });
});

describe(`errors (${testDbKind()})`, () => {
  it('masks unexpected errors, quoting a request id that is also in the response header', async () => {
    const broken = await testApi();
    await broken.db.close(); // every query now fails inside Prisma
    const result = await broken.gql('{ hubs { totalCount } }', {}, 'anonymous', {
      'x-request-id': 'req-123',
    });
    expect(result.errors?.[0]?.message).toBe('Unexpected error. If you report it, quote request id req-123.');
    expect(result.errors?.[0]?.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
    expect(result.headers.get('x-request-id')).toBe('req-123');
    expect(JSON.stringify(result)).not.toMatch(/prisma|PGlite|pool|SELECT/i);
  });

  it('leaves GraphQL validation errors intact', async () => {
    const result = await api.gql('{ hubs { totalCount nope } }');
    expect(result.errors?.[0]?.message).toBe(
      'Cannot query field "nope" on type "HubConnection". Did you mean "nodes"?',
    );
  });
});
