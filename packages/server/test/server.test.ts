// The HTTP server: GraphQL over Yoga, GraphiQL, health and readiness.
import { brotliDecompressSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../src/logger.ts';
import { createApp } from '../src/server.ts';
import { type TestDatabase, testDatabase, testDbKind } from './helpers/fixtures.ts';

let db: TestDatabase;
let app: ReturnType<typeof createApp>;
beforeAll(async () => {
  db = await testDatabase();
  app = createApp({ db, logger: createLogger('silent') });
});
afterAll(async () => {
  await db?.close();
});

async function graphql(query: string, variables?: Record<string, unknown>) {
  const response = await app.fetch('http://localhost/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, body: (await response.json()) as { data?: any; errors?: any[] } };
}

describe(`HTTP server (${testDbKind()})`, () => {
  it('answers the platform query: 9 regions and 40 hubs', async () => {
    const { status, body } = await graphql('{ regions { code } hubs(first: 100) { totalCount } }');
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(body.data.regions.map((r: { code: string }) => r.code)).toEqual([
      'EE',
      'EM',
      'LO',
      'NE',
      'NW',
      'SE',
      'SW',
      'WM',
      'YH',
    ]);
    expect(body.data.hubs.totalCount).toBe(40);
  });

  it('serves the documented programme and cohorts by their natural keys', async () => {
    const { body } = await graphql(`{
      programme(slug: "secondary-tfm-development") { name years { academicYear projectCode } }
      wm1: cohort(code: "wm1-sec-tfm-dev-2024-25") { academicYear hub { code region { code } } areasServed }
      c4: cohort(code: "NAT-SEC-MS-C4-2019-20") { academicYear hub { code } programme { slug } }
    }`);
    expect(body.errors).toBeUndefined();
    expect(body.data.programme.years).toContainEqual({ academicYear: '2023/24', projectCode: 'NCP23-12' });
    expect(body.data.wm1).toEqual({
      academicYear: '2024/25',
      hub: { code: 'WM1', region: { code: 'WM' } },
      areasServed: ['Birmingham', 'Sandwell', 'Dudley'],
    });
    expect(body.data.c4).toEqual({
      academicYear: '2019/20',
      hub: null,
      programme: { slug: 'secondary-mastery-specialist' },
    });
  });

  it('filters and pages hubs', async () => {
    const first = await graphql(
      '{ hubs(first: 2, filter: { regionCode: "wm" }) { totalCount nodes { code } pageInfo { hasNextPage endCursor } } }',
    );
    expect(first.body.data.hubs).toMatchObject({
      totalCount: 4,
      nodes: [{ code: 'WM1' }, { code: 'WM2' }],
      pageInfo: { hasNextPage: true },
    });
    const next = await graphql(
      'query($after: String) { hubs(first: 2, after: $after, filter: { regionCode: "WM" }) { nodes { code } pageInfo { hasNextPage } } }',
      {
        after: first.body.data.hubs.pageInfo.endCursor,
      },
    );
    expect(next.body.data.hubs).toEqual({
      nodes: [{ code: 'WM3' }, { code: 'WM4' }],
      pageInfo: { hasNextPage: false },
    });
    const search = await graphql('{ hubs(filter: { search: "wirral" }) { nodes { code } } }');
    expect(search.body.data.hubs.nodes).toEqual([{ code: 'NW6' }]);
  });

  it('serves GraphiQL to browsers, with a tour as the default query', async () => {
    const response = await app.fetch('http://localhost/graphql', { headers: { accept: 'text/html' } });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('Maths Hubs API');
    expect(html).toContain('query Tour');
    // Everything GraphiQL needs is in the page: nothing from a CDN, so it works offline.
    expect(html).not.toMatch(/<script[^>]*\ssrc=["']?https?:/);
    expect(html).not.toMatch(
      /<link[^>]*\shref=["']?https?:[^>]*stylesheet|<link[^>]*stylesheet[^>]*\shref=["']?https?:/,
    );
    expect(html).not.toContain('unpkg.com');
  });

  it('keeps the GraphiQL page small, its files cacheable forever and compressed', async () => {
    const page = await app.fetch('http://localhost/graphql', {
      headers: { accept: 'text/html', 'accept-encoding': 'gzip, deflate, br' },
    });
    const bytes = (await page.arrayBuffer()).byteLength; // as sent: compressed when large
    expect(bytes).toBeLessThan(20_000);
    const html = await (
      await app.fetch('http://localhost/graphql', { headers: { accept: 'text/html' } })
    ).text();
    const files = [...html.matchAll(/(?:src|href)="(\/graphiql\/[^"]+)"/g)].map((m) => m[1]!);
    const workers = [...html.matchAll(/"(\/graphiql\/[^"]+\.worker\.[0-9a-f]+\.js)"/g)].map((m) => m[1]!);
    expect(files.length).toBe(3); // icon, styles, script
    expect(workers.length).toBe(3);
    for (const path of [...files, ...workers]) {
      const response = await app.fetch(`http://localhost${path}`, {
        headers: { 'accept-encoding': 'br, gzip' },
      });
      expect(response.status, path).toBe(200);
      expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      if (!path.endsWith('.ico')) expect(response.headers.get('content-encoding')).toBe('br');
    }
    const plain = await app.fetch(`http://localhost${files[2]}`);
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect((await plain.text()).length).toBeGreaterThan(1_000_000);
    expect((await app.fetch('http://localhost/graphiql/nothing.js')).status).toBe(404);
  });

  it('compresses large JSON as the client accepts, small answers not at all', async () => {
    const query = '{ hubs(first: 40) { nodes { code name shortName areasServed region { code name } } } }';
    const ask = (encoding: string) =>
      app.fetch(`http://localhost/graphql?query=${encodeURIComponent(query)}`, {
        headers: { 'accept-encoding': encoding },
      });
    const br = await ask('br');
    expect(br.headers.get('content-encoding')).toBe('br');
    const gzip = await ask('gzip');
    expect(gzip.headers.get('content-encoding')).toBe('gzip');
    const none = await ask('identity');
    expect(none.headers.get('content-encoding')).toBeNull();
    const plain = await none.text();
    // The same JSON either way, and it was worth compressing.
    const decoded = brotliDecompressSync(Buffer.from(await br.arrayBuffer())).toString('utf8');
    // (extensions.cost differs: each request spends budget)
    expect(JSON.parse(decoded).data).toEqual(JSON.parse(plain).data);
    expect(Number(br.headers.get('content-length'))).toBeLessThan(plain.length / 2);
    expect(plain.length).toBeGreaterThan(2_000);
    const small = await app.fetch('http://localhost/graphql?query=%7B__typename%7D', {
      headers: { 'accept-encoding': 'br, gzip' },
    });
    expect(small.headers.get('content-encoding')).toBeNull();
    expect(small.headers.get('vary')).toMatch(/accept-encoding/i);
  });

  it('answers /healthz, and /readyz once the database is reachable and migrated', async () => {
    expect((await app.fetch('http://localhost/healthz')).status).toBe(200);
    const ready = await app.fetch('http://localhost/readyz');
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ ok: true, sharedState: 'memory' });
  });

  it('answers /readyz 503, saying why, while migrations are pending', async () => {
    const empty = await testDatabase({ empty: true });
    try {
      const response = await createApp({ db: empty, logger: createLogger('silent') }).fetch(
        'http://localhost/readyz',
      );
      expect(response.status).toBe(503);
      expect((await response.json()) as { reason: string }).toMatchObject({
        ok: false,
        reason: expect.stringMatching(/^migrations pending/),
      });
    } finally {
      await empty.close();
    }
  });
});
