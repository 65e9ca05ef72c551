// Issue "Beyond one process": the hub page with the cache off from one worker and from two
// (WEB_CONCURRENCY, same machine, same run); the time from a committed change on instance A to
// the SSE event on instance B (two processes, one PostgreSQL, one Redis); and what /metrics costs
// on the hub page (METRICS on against off).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { operationDocument } from '../../packages/sdk/scripts/documents.ts';
import { createClient } from '../../packages/sdk/src/index.ts';
import { buildServer } from '../start.mjs';
import { ADMIN_KEY, serveBundled, stop } from './process.ts';

const _root = resolve(import.meta.dirname, '../..');
const REDIS_URL = `${process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379'}/10`;
const HUB_PAGE = JSON.stringify({ query: operationDocument('HubPage'), variables: { code: 'WM1' } });

const serve = (url: string, port: number, env: Record<string, string> = {}) =>
  serveBundled(url, port, { RESPONSE_CACHE: 'off', ...env });

async function hubPageRate(base: string, connections: number, seconds: number) {
  const result = await autocannon({
    url: `${base}/graphql`,
    method: 'POST',
    connections,
    duration: seconds,
    headers: { 'content-type': 'application/json' },
    body: HUB_PAGE,
  });
  if (result.non2xx > 0 || result.errors > 0)
    throw new Error(`hub page: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return result;
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};

export async function benchFleet(url: string, { connections = 16, seconds = 10, events = 200 } = {}) {
  await buildServer();
  const port = 4911;

  console.log(
    `\nHub page, cache off, ${connections} connections × ${seconds} s (national dataset on PostgreSQL)`,
  );
  const rates: number[] = [];
  for (const workers of [1, 2]) {
    const server = await serve(url, port, { WEB_CONCURRENCY: String(workers) });
    try {
      await hubPageRate(server.url, connections, 2); // warm both workers
      const result = await hubPageRate(server.url, connections, seconds);
      rates.push(result.requests.average);
      console.log(
        '  WEB_CONCURRENCY=%d   %s req/s   p50 %d ms   p99 %d ms   %s× one worker',
        workers,
        result.requests.average.toFixed(0).padStart(5),
        result.latency.p50,
        result.latency.p99,
        (result.requests.average / rates[0]!).toFixed(2),
      );
    } finally {
      await stop(server.child);
    }
  }

  // Metrics and traces on the hub page; spans go to a local receiver that accepts and drops them.
  const receiver = http.createServer((request, response) => {
    request.resume();
    request.on('end', () => response.writeHead(200, { 'content-type': 'application/x-protobuf' }).end());
  });
  await new Promise<void>((resolveListen) => receiver.listen(0, '127.0.0.1', resolveListen));
  const otlp = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  let plain = 0;
  for (const [label, env] of [
    ['metrics off, traces off', { METRICS: 'off' }],
    ['metrics on,  traces off', { METRICS: 'on' }],
    ['metrics on,  traces on ', { METRICS: 'on', OTEL_EXPORTER_OTLP_ENDPOINT: otlp }],
  ] as const) {
    const server = await serve(url, port, env);
    try {
      await hubPageRate(server.url, connections, 2);
      const result = await hubPageRate(server.url, connections, seconds);
      plain ||= result.requests.average;
      console.log(
        '  %s   %s req/s   p50 %d ms   p99 %d ms   %s× both off',
        label,
        result.requests.average.toFixed(0).padStart(5),
        result.latency.p50,
        result.latency.p99,
        (result.requests.average / plain).toFixed(2),
      );
    } finally {
      await stop(server.child);
    }
  }
  receiver.close();

  // Two instances sharing Redis: a change through A, its event through B.
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  const { rows } = await db.query<{ code: string; capacity: number }>(
    "SELECT code, capacity FROM cohort WHERE status = 'RECRUITING' ORDER BY code LIMIT 1",
  );
  await db.end();
  const cohort = rows[0]!;
  const [a, b] = await Promise.all([serve(url, port, { REDIS_URL }), serve(url, port + 1, { REDIS_URL })]);
  try {
    const admin = createClient({ url: `${a.url}/graphql`, apiKey: ADMIN_KEY });
    const { cohort: found } = await admin.cohort({ code: cohort.code });
    const stream = createClient({ url: `${b.url}/graphql` }).cohortUpdated({ code: cohort.code });
    const first = stream.next();
    await new Promise((r) => setTimeout(r, 500)); // the subscription is open on B
    const toEvent: number[] = [];
    const roundTrip: number[] = [];
    let pending = first;
    for (let i = 0; i < events; i++) {
      const sent = performance.now();
      await admin.request(
        'mutation($input: UpdateCohortInput!) { updateCohort(input: $input) { userErrors { code } } }',
        { input: { cohortId: found!.id, capacity: cohort.capacity + (i % 2) } },
      );
      roundTrip.push(performance.now() - sent);
      await pending;
      toEvent.push(performance.now() - sent);
      pending = stream.next();
    }
    await stream.return();
    console.log(
      `\nA change through instance A, its event on instance B (Redis pub/sub, SSE), ${events} changes one after another`,
    );
    console.log(
      '  mutation round trip on A    p50 %s ms   p99 %s ms',
      percentile(roundTrip, 50).toFixed(1),
      percentile(roundTrip, 99).toFixed(1),
    );
    console.log(
      '  sent → event on B           p50 %s ms   p99 %s ms',
      percentile(toEvent, 50).toFixed(1),
      percentile(toEvent, 99).toFixed(1),
    );
  } finally {
    await Promise.all([stop(a.child), stop(b.child)]);
  }
}
