// Issue "Public read API": three real queries against the national-scale dataset in PostgreSQL,
// each beside `{ __typename }` on the same server in the same run (the framework's own ceiling).
// Statements per request are counted in-process; throughput and latency are measured over HTTP
// with autocannon at a fixed concurrency against a separate server process.
import http from 'node:http';
import { resolve } from 'node:path';
import autocannon from 'autocannon';
import { operationDocument } from '../../packages/sdk/scripts/documents.ts';
import { openPostgres } from '../../packages/server/src/db.ts';
import { createLogger } from '../../packages/server/src/logger.ts';
import { createApp } from '../../packages/server/src/server.ts';
import { buildServer } from '../start.mjs';
import { ADMIN_KEY, serveBundled, stop } from './process.ts';

const _root = resolve(import.meta.dirname, '../..');

export const QUERIES = [
  { name: '{ __typename } (ceiling)', query: '{ __typename }', variables: {}, admin: false },
  {
    name: 'hub page (HubPage, WM1)',
    query: operationDocument('HubPage'),
    variables: { code: 'WM1' },
    admin: false,
  },
  {
    name: 'recruiting cohorts (region WM, 20)',
    query: operationDocument('RecruitingCohorts'),
    variables: { regionCode: 'WM' },
    admin: false,
  },
  {
    name: 'deep tour (5 × 5 × 5, admin)',
    query: operationDocument('DeepTour'),
    variables: { hubs: 5, cohorts: 5, enrolments: 5 },
    admin: true,
  },
];

async function statementsPerRequest(url: string) {
  const db = await openPostgres(url, 4);
  const app = createApp({ db, logger: createLogger('silent'), adminApiKey: ADMIN_KEY });
  const counts: number[] = [];
  for (const q of QUERIES) {
    let n = 0;
    const off = db.onQuery(() => n++);
    const response = await app.fetch('http://bench/graphql', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(q.admin ? { authorization: `Bearer ${ADMIN_KEY}` } : {}),
      },
      body: JSON.stringify({ query: q.query, variables: q.variables }),
    });
    const body = (await response.json()) as { errors?: unknown };
    if (body.errors) throw new Error(`${q.name}: ${JSON.stringify(body.errors)}`);
    off();
    counts.push(n);
  }
  await db.close();
  return counts;
}

/** Bytes a response takes on the wire, as sent (compressed when the client accepts it). */
function wireBytes(url: string, headers: Record<string, string>, body?: string) {
  return new Promise<{ bytes: number; encoding: string }>((resolveBytes, reject) => {
    const request = http.request(url, { method: body ? 'POST' : 'GET', headers }, (response) => {
      let bytes = 0;
      response.on('data', (chunk: Buffer) => (bytes += chunk.length));
      response.on('end', () =>
        resolveBytes({ bytes, encoding: String(response.headers['content-encoding'] ?? 'none') }),
      );
    });
    request.on('error', reject);
    request.end(body);
  });
}

export async function benchApi(url: string, { connections = 16, seconds = 10 } = {}) {
  await buildServer();
  const statements = await statementsPerRequest(url);
  const port = 4901;
  for (const responseCache of [false, true]) {
    const server = await serveBundled(url, port, { RESPONSE_CACHE: responseCache ? 'on' : 'off' });
    console.log(
      `\nRead API over HTTP, response cache ${responseCache ? 'on' : 'off'}: ${connections} concurrent connections, ${seconds} s each, national dataset on PostgreSQL`,
    );
    console.log('  query                                   SQL/req    req/s   p50 ms   p99 ms   vs ceiling');
    let ceiling = 0;
    try {
      for (const [i, q] of QUERIES.entries()) {
        const result = await autocannon({
          url: `${server.url}/graphql`,
          method: 'POST',
          connections,
          duration: seconds,
          headers: {
            'content-type': 'application/json',
            ...(q.admin ? { authorization: `Bearer ${ADMIN_KEY}` } : {}),
          },
          body: JSON.stringify({ query: q.query, variables: q.variables }),
        });
        if (result.non2xx > 0 || result.errors > 0)
          throw new Error(`${q.name}: ${result.non2xx} non-2xx, ${result.errors} errors`);
        const rps = result.requests.average;
        if (i === 0) ceiling = rps;
        console.log(
          `  ${q.name.padEnd(38)} ${String(statements[i]).padStart(7)} ${rps.toFixed(0).padStart(8)} ${String(result.latency.p50).padStart(8)} ${String(result.latency.p99).padStart(8)}   ${(rps / ceiling).toFixed(3)}×`,
        );
      }
      if (!responseCache) {
        // The deep tour's own latency: one request at a time, no queueing behind others.
        const deep = QUERIES[3]!;
        const alone = await autocannon({
          url: `${server.url}/graphql`,
          method: 'POST',
          connections: 1,
          duration: seconds,
          headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_KEY}` },
          body: JSON.stringify({ query: deep.query, variables: deep.variables }),
        });
        console.log(
          '  %s one at a time: p50 %d ms, p99 %d ms',
          deep.name,
          alone.latency.p50,
          alone.latency.p99,
        );
        const hubPage = JSON.stringify({ query: QUERIES[1]!.query, variables: QUERIES[1]!.variables });
        const json = { 'content-type': 'application/json' };
        const plain = await wireBytes(`${server.url}/graphql`, json, hubPage);
        const gzip = await wireBytes(
          `${server.url}/graphql`,
          { ...json, 'accept-encoding': 'gzip' },
          hubPage,
        );
        const br = await wireBytes(
          `${server.url}/graphql`,
          { ...json, 'accept-encoding': 'br, gzip' },
          hubPage,
        );
        const page = await wireBytes(`${server.url}/graphql`, {
          accept: 'text/html',
          'accept-encoding': 'gzip',
        });
        console.log('Bytes on the wire');
        console.log(
          '  hub page response      %d B plain, %d B gzip, %d B brotli',
          plain.bytes,
          gzip.bytes,
          br.bytes,
        );
        console.log(
          '  GraphiQL page          %d B (%s); its scripts are separate immutable files',
          page.bytes,
          page.encoding,
        );
      }
    } finally {
      await stop(server.child);
    }
  }
}
