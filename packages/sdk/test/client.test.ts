import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveOnLocalPort, type TestApi, testApi } from '../../server/test/helpers/api.ts';
import { testDbKind } from '../../server/test/helpers/fixtures.ts';
import { applicationForm } from '../../server/test/helpers/forms.ts';
import {
  createBaseClient,
  createClient,
  GraphQLRequestError,
  HttpError,
  HubPageDocument,
  HubsDocument,
  NetworkError,
  RegionsDocument,
} from '../src/index.ts';

let api: TestApi;
let closeServer: (() => Promise<void>) | undefined;
let url: string;
beforeAll(async () => {
  api = await testApi();
  ({ url, close: closeServer } = await serveOnLocalPort(api.app));
});
afterAll(async () => {
  await closeServer?.();
  await api?.close();
});

/** A fetch that records request bodies and can answer the first few calls itself. */
function recordingFetch(scripted: Response[] = []) {
  const bodies: Record<string, unknown>[] = [];
  const fetchImpl = (async (input: RequestInfo | URL, init?: RequestInit) => {
    bodies.push(JSON.parse(String(init?.body)));
    const next = scripted.shift();
    return next ?? fetch(input, init);
  }) as typeof fetch;
  return { fetchImpl, bodies };
}

describe(`SDK against the server (${testDbKind()})`, () => {
  it('runs every shipped operation, typed', async () => {
    const client = createClient({ url });
    const regions = await client.regions();
    expect(regions.regions).toHaveLength(9);
    expect((await client.hubs({ filter: { regionCode: 'WM' } })).hubs.totalCount).toBe(4);
    const hub = await client.hubPage({ code: 'WM1' });
    expect(hub.hub?.name).toBe('Central Maths Hub');
    expect((await client.programmes()).programmes.totalCount).toBe(22);
    const programme = await client.programmePage({ slug: 'secondary-tfm-development' });
    expect(programme.programme?.years.map((y) => y.projectCode)).toContain('NCP23-12');
    const recruiting = await client.recruitingCohorts({ hubCode: 'WM1' });
    expect(recruiting.cohorts.nodes.every((c) => c.isRecruiting && c.hub?.code === 'WM1')).toBe(true);
    expect(recruiting.cohorts.totalCount).toBeGreaterThan(0);
    expect((await client.cohort({ code: 'WM1-SEC-TFM-DEV-2024-25' })).cohort?.academicYear).toBe('2024/25');
    const search = await client.schoolSearch({ search: 'academy', hubCode: 'WM1' });
    expect(search.schools.nodes.every((s) => s.hub?.code === 'WM1')).toBe(true);
    expect((await client.viewer()).viewer.role).toBe('ANONYMOUS');
  });

  it('ships the reporting queries and the application mutation', async () => {
    const client = createClient({ url });
    const stats = await client.cohortStats({ groupBy: ['REGION'] });
    expect(stats.cohortStats.rows).toHaveLength(10);
    // Why a figure is missing, typed: withheld to protect people, or not applicable.
    const withheld: string[] = stats.cohortStats.rows.flatMap((r) => r.withheld);
    expect(withheld.every((m) => /^[A-Z_]+$/.test(m))).toBe(true);
    // Progression needs a key.
    const analyst = createClient({ url, apiKey: api.keys.analyst });
    const progression = await analyst.progression({
      fromProgramme: 'secondary-tfm-development',
      toProgramme: 'secondary-tfm-embedding-year-support',
      fromYear: '2023/24',
    });
    expect(progression.progression.toYear).toBe('2024/25');
    const result = await client.submitApplication({
      input: applicationForm('NO-SUCH-COHORT', '1'),
    });
    // userErrors are data, with the path of each field, never thrown
    expect(result.submitApplication.application).toBeNull();
    expect(result.submitApplication.userErrors.map((e) => e.field?.join('.'))).toEqual(
      expect.arrayContaining(['input.cohortCode', 'input.schoolUrn']),
    );
  });

  it('sends the API key', async () => {
    const client = createClient({ url, apiKey: api.keys.wm1Staff });
    expect((await client.viewer()).viewer).toMatchObject({ role: 'HUB_STAFF', hub: { code: 'WM1' } });
  });

  it('runs any document or string with request()', async () => {
    const client = createClient({ url });
    const data = await client.request<string>('query($code: String!) { hub(code: $code) { code } }', {
      code: 'nw6',
    });
    expect(data).toEqual({ hub: { code: 'NW6' } });
  });

  it('throws NetworkError when the server cannot be reached', async () => {
    const client = createClient({ url: 'http://127.0.0.1:9/graphql', retries: 0 });
    await expect(client.regions()).rejects.toBeInstanceOf(NetworkError);
  });

  it('throws GraphQLRequestError with status 401 for an unknown key', async () => {
    const client = createClient({ url, apiKey: 'wrong' });
    const error = await client.viewer().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GraphQLRequestError);
    expect(error).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
    expect((error as Error).message).toMatch(/not known/);
  });

  it('keeps partial data when some fields fail', async () => {
    const client = createClient({ url });
    const error = (await client
      .request('{ regions { code } school(urn: "12") { name } }')
      .catch((e: unknown) => e)) as GraphQLRequestError<{
      regions: { code: string }[];
    }>;
    expect(error).toBeInstanceOf(GraphQLRequestError);
    expect(error.status).toBe(200);
    expect(error.data?.regions).toHaveLength(9);
    expect(error.errors[0]?.path).toEqual(['school']);
    expect(error.code).toBe('BAD_USER_INPUT');
  });

  it('returns mutation userErrors as data, never throws them', async () => {
    const client = createClient({ url, apiKey: api.keys.admin });
    const data = await client.request<string>(
      'mutation { createApiKey(input: { role: ANALYST, label: "  " }) { userErrors { code } } }',
    );
    expect(data).toEqual({ createApiKey: { userErrors: [{ code: 'INVALID' }] } });
  });

  it('throws a permission refusal, which the server raises as a top-level FORBIDDEN error', async () => {
    const client = createClient({ url });
    const refused = await client
      .request<string>(
        'mutation { createApiKey(input: { role: ANALYST, label: "x" }) { userErrors { code } } }',
      )
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(GraphQLRequestError);
    expect((refused as GraphQLRequestError).errors[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('retries after 429 (honouring Retry-After) and then succeeds', async () => {
    const { fetchImpl, bodies } = recordingFetch([
      new Response('slow down', { status: 429, headers: { 'retry-after': '0' } }),
    ]);
    const client = createClient({ url, fetch: fetchImpl });
    expect((await client.regions()).regions).toHaveLength(9);
    expect(bodies).toHaveLength(2);
  });

  it('gives up after the allowed retries on 503', async () => {
    const unavailable = () => new Response('down', { status: 503, headers: { 'retry-after': '0' } });
    const { fetchImpl, bodies } = recordingFetch([
      unavailable(),
      unavailable(),
      unavailable(),
      unavailable(),
    ]);
    const client = createClient({ url, fetch: fetchImpl, retries: 2 });
    const error = await client.regions().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpError);
    expect(error).toMatchObject({ status: 503 });
    expect(bodies).toHaveLength(3);
  });

  it('does not retry other failures', async () => {
    const { fetchImpl, bodies } = recordingFetch([new Response('oops', { status: 500 })]);
    const error = await createClient({ url, fetch: fetchImpl })
      .regions()
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'HttpError', status: 500 });
    expect(bodies).toHaveLength(1);
  });

  it('can be aborted, including while waiting to retry', async () => {
    const controller = new AbortController();
    const { fetchImpl } = recordingFetch([
      new Response('', { status: 429, headers: { 'retry-after': '30' } }),
    ]);
    const pending = createClient({ url, fetch: fetchImpl }).regions(undefined, { signal: controller.signal });
    setTimeout(() => controller.abort(new Error('user gave up')), 20);
    await expect(pending).rejects.toThrow('user gave up');
  });

  it('walks a connection longer than a page', async () => {
    const { fetchImpl, bodies } = recordingFetch();
    const client = createClient({ url, fetch: fetchImpl });
    const codes: string[] = [];
    for await (const hub of client.paginate(HubsDocument, { first: 7 }, (data) => data.hubs))
      codes.push(hub.code);
    expect(codes).toHaveLength(40);
    expect(new Set(codes).size).toBe(40);
    expect(bodies).toHaveLength(6);
  });

  it('sends shipped operations by hash when asked, and the server runs them', async () => {
    const { fetchImpl, bodies } = recordingFetch();
    const client = createClient({ url, fetch: fetchImpl, persistedOperations: true });
    expect((await client.hubPage({ code: 'WM1' })).hub?.code).toBe('WM1');
    expect(bodies[0]).not.toHaveProperty('query');
    expect(bodies[0]).toMatchObject({
      extensions: { persistedQuery: { version: 1, sha256Hash: expect.stringMatching(/^[0-9a-f]{64}$/) } },
    });
  });

  it('sends a caller’s own document as its text, even when it shares a shipped operation’s name', async () => {
    const { fetchImpl, bodies } = recordingFetch();
    const client = createBaseClient({ url, fetch: fetchImpl, persistedOperations: true });
    // Named like the shipped HubPage, but asking for something else.
    const own = 'query HubPage($code: String!) { hub(code: $code) { code region { code } } }';
    const data = (await client.request(own, { code: 'WM1' })) as {
      hub: { code: string; region: { code: string } };
    };
    expect(data.hub).toEqual({ code: 'WM1', region: { code: 'WM' } });
    expect(bodies[0]).toMatchObject({ query: own });
    expect(bodies[0]).not.toHaveProperty('extensions');
    // The shipped document goes by the hash it carries, which the manifest maps to its own text.
    await client.request(HubPageDocument, { code: 'WM1' });
    expect(bodies[1]).toMatchObject({
      extensions: {
        persistedQuery: {
          sha256Hash: (HubPageDocument as unknown as { __meta__: { hash: string } }).__meta__.hash,
        },
      },
    });
  });

  it('falls back to the text once when the server does not know a hash', async () => {
    const notFound = () =>
      new Response(
        JSON.stringify({
          errors: [
            {
              message: 'No persisted operation has this hash.',
              extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' },
            },
          ],
        }),
        { status: 400, headers: { 'content-type': 'application/json' } },
      );
    const { fetchImpl, bodies } = recordingFetch([notFound()]);
    const client = createBaseClient({ url, fetch: fetchImpl, persistedOperations: true, retries: 0 });
    expect((await client.request(RegionsDocument)).regions).toHaveLength(9);
    expect(bodies).toHaveLength(2);
    expect(bodies[0]).not.toHaveProperty('query');
    expect(bodies[1]).toMatchObject({ query: String(RegionsDocument) });
  });
});
