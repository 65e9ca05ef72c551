// Issue "Running in public": what the limits cost. Three parts, each against its floor in the same run,
// over HTTP to separate server processes on the embedded database (demo seed, made at first start):
//   1. refusing each hostile document beside `{ __typename }` on the same server (autocannon);
//   2. the HubPage operation with limits and rate accounting on beside a server with them off;
//   3. the server's memory before and after sending the whole bomb set many times.
// Requests carry the SDK's Accept header: with plain application/json, Yoga answers a refusal made while
// validating with 200 and the errors (README "Limits and budgets"), and the status check would fail.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import autocannon from 'autocannon';
import { operationDocument } from '../../packages/sdk/scripts/documents.ts';
import { loadConfig } from '../../packages/server/src/config.ts';
import { type Started, sleep, startAndTime, stop } from './process.ts';

const root = resolve(import.meta.dirname, '../..');
const ACCEPT = 'application/graphql-response+json, application/json';
const HUB_PAGE = {
  query: operationDocument('HubPage'),
  variables: { code: 'WM1' },
};

/** Limits on, as deployed, with budgets no run of this benchmark can spend (so no 429). */
const LIMITS_ON = { RATE_LIMIT: 'on', RATE_LIMIT_ANONYMOUS: '1000000000' };
/** Limits as far off as configuration goes: no rate accounting, every limit at its maximum. */
const LIMITS_OFF = {
  RATE_LIMIT: 'off',
  COST_LIMIT_ANONYMOUS: '10000000',
  COST_LIMIT_KEY: '10000000',
  MAX_DEPTH: '100',
  MAX_ALIASES: '1000',
  MAX_TOKENS: '1000000',
  MAX_DIRECTIVES: '1000',
};

const nest = (times: number, inner: string, wrap: (s: string) => string) => {
  let s = inner;
  for (let i = 0; i < times; i++) s = wrap(s);
  return s;
};

function fragmentBomb(levels: number) {
  const fragments = [];
  for (let i = 0; i < levels; i++)
    fragments.push(`fragment F${i} on Hub { code region { hubs { ...F${i + 1} ...F${i + 1} } } }`);
  fragments.push(`fragment F${levels} on Hub { code }`);
  return `{ hubs(first: 100) { nodes { ...F0 } } } ${fragments.join(' ')}`;
}

interface Bomb {
  name: string;
  body: string;
  status: number;
  /** What refused it, filled in by the check before timing. */
  refusedBy?: string;
}

const json = (query: string, variables?: Record<string, unknown>) => JSON.stringify({ query, variables });

const BASELINE = json('{ __typename }');
const BOMBS: Bomb[] = [
  {
    name: 'depth: region { hubs } × 12',
    body: json(`{ hub(code: "WM1") { ${nest(12, 'code', (s) => `region { hubs { ${s} } }`)} } }`),
    status: 400,
  },
  {
    name: '200 aliases of hubs → schools',
    body: json(
      `{ ${Array.from({ length: 200 }, (_, i) => `a${i}: hubs(first:100) { nodes { schools(first:100) { nodes { urn } } } }`).join(' ')} }`,
    ),
    status: 400,
  },
  { name: 'fragment bomb (2^10 spreads)', body: json(fragmentBomb(10)), status: 400 },
  {
    name: 'fragment cycle',
    body: json(
      '{ hubs { nodes { ...A } } } fragment A on Hub { region { hubs { ...B } } } fragment B on Hub { region { hubs { ...A } } }',
    ),
    status: 400,
  },
  {
    name: '3,000 × @skip(if: false)',
    body: json(`{ __typename ${'@skip(if: false) '.repeat(3000)} }`),
    status: 400,
  },
  {
    name: 'cost: hubs → cohorts → hub × 3',
    body: json(
      '{ hubs(first:100) { nodes { code cohorts(first:100) { nodes { hub { code cohorts(first:100) { nodes { hub { code cohorts(first:100) { nodes { code } } } } } } } } } } }',
    ),
    status: 400,
  },
  {
    name: '10 MB variable',
    body: json('query($s: String) { schools(filter: { search: $s }) { totalCount } }', {
      s: 'x'.repeat(10_000_000),
    }),
    status: 413,
  },
];

async function post(url: string, body: string) {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: ACCEPT },
    body,
  });
  const text = await response.text();
  return { status: response.status, text };
}

/** Sends each bomb once; throws unless each gets its status and a GraphQL error saying why. */
async function checkRefusals(url: string) {
  for (const bomb of BOMBS) {
    const { status, text } = await post(url, bomb.body);
    const error = (
      JSON.parse(text) as { errors?: { message: string; extensions?: Record<string, unknown> }[] }
    ).errors?.[0];
    if (status !== bomb.status || !error)
      throw new Error(
        `${bomb.name}: expected ${bomb.status} and an error, got ${status} ${text.slice(0, 200)}`,
      );
    const ext = error.extensions ?? {};
    bomb.refusedBy =
      ext.code === 'QUERY_TOO_COMPLEX' ? `${ext.limit} (${ext.figure})` : String(ext.code ?? error.message);
  }
}

/** A preload that answers SIGUSR2 with the process's memory after a forced GC, written to a file. */
const MEMORY_PROBE = `data:text/javascript,${encodeURIComponent(`
import { renameSync, writeFileSync } from 'node:fs';
process.on('SIGUSR2', () => {
  const gc = typeof globalThis.gc === 'function';
  if (gc) { globalThis.gc(); globalThis.gc(); }
  const file = process.env.BENCH_MEMORY_FILE;
  writeFileSync(file + '.tmp', JSON.stringify({ ...process.memoryUsage(), gc }));
  renameSync(file + '.tmp', file);
});`)}`;

interface Memory {
  rss: number;
  heapUsed: number;
  gc: boolean;
}

async function memoryOf(server: Started, file: string): Promise<Memory> {
  await rm(file, { force: true });
  server.child.kill('SIGUSR2');
  for (let i = 0; i < 500; i++) {
    try {
      return JSON.parse(await readFile(file, 'utf8')) as Memory;
    } catch {
      await sleep(10);
    }
  }
  throw new Error('the server did not report its memory');
}

async function startServer(dataDir: string, port: number, env: Record<string, string>) {
  loadConfig({ DATA_DIR: dataDir, PORT: String(port), ...env }); // the same validation the server does
  return startAndTime(
    ['--expose-gc', '--import', 'tsx', '--import', MEMORY_PROBE, join(root, 'packages/server/src/main.ts')],
    {
      DATA_DIR: dataDir,
      PORT: String(port),
      LOG_LEVEL: 'warn',
      DATABASE_URL: '',
      REDIS_URL: '',
      BENCH_MEMORY_FILE: join(dataDir, 'memory.json'),
      ...env,
    },
    port,
    { path: '/readyz' },
  );
}

async function load(url: string, body: string, connections: number, seconds: number) {
  return autocannon({
    url: `${url}/graphql`,
    method: 'POST',
    connections,
    duration: seconds,
    headers: { 'content-type': 'application/json', accept: ACCEPT },
    body,
  });
}

/** Only `status` came back, with no socket errors or timeouts. */
function onlyStatus(name: string, result: autocannon.Result, status: number) {
  const seen = Object.keys(result.statusCodeStats ?? {});
  if (result.errors > 0 || result.timeouts > 0 || seen.some((s) => s !== String(status)))
    throw new Error(
      `${name}: expected only ${status}, got ${JSON.stringify(result.statusCodeStats)}, ${result.errors} errors, ${result.timeouts} timeouts`,
    );
}

const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(0);

/** The floor for the 413: a bare Node.js http server that answers every POST 413 without reading it. */
function bareRefuser(port: number) {
  const code = `require('node:http').createServer((q, s) => { s.statusCode = q.method === 'POST' ? 413 : 200; s.end(); }).listen(${port})`;
  return startAndTime(['-e', code], {}, port, { path: '/' });
}

export async function benchLimits({ connections = 16, seconds = 5, rounds = 200, hubPageRounds = 4 } = {}) {
  const dirOn = await mkdtemp(join(tmpdir(), 'mh-bench-limits-on-'));
  const dirOff = await mkdtemp(join(tmpdir(), 'mh-bench-limits-off-'));
  // Both start on empty directories (migrate + demo seed); the seed is deterministic.
  const started = performance.now();
  const [on, off, bare] = await Promise.all([
    startServer(dirOn, 4903, LIMITS_ON),
    startServer(dirOff, 4904, LIMITS_OFF),
    bareRefuser(4905),
  ]);
  const startSeconds = (performance.now() - started) / 1000;
  const memoryFile = join(dirOn, 'memory.json');
  try {
    // ── 3. Memory, first, on a fresh server: before, after one round, after `rounds` rounds ──
    for (let i = 0; i < 200; i++) await post(on.url, BASELINE);
    const before = await memoryOf(on, memoryFile);
    const t0 = performance.now();
    await checkRefusals(on.url); // the first round, and the check that each bomb is refused as expected
    const afterOne = await memoryOf(on, memoryFile);
    for (let r = 1; r < rounds; r++) {
      for (const bomb of BOMBS) {
        const { status } = await post(on.url, bomb.body);
        if (status !== bomb.status) throw new Error(`${bomb.name}: ${status} in round ${r + 1}`);
      }
    }
    const roundsSeconds = (performance.now() - t0) / 1000;
    const after = await memoryOf(on, memoryFile);

    // ── 1. Time to refuse, beside { __typename } before and after ──
    const limits = loadConfig({ ...LIMITS_ON }).limits;
    console.log(
      `\nRefusing hostile documents over HTTP: ${connections} connections, ${seconds} s each, embedded database (demo seed; both servers migrated and seeded in ${startSeconds.toFixed(1)} s)`,
    );
    console.log(
      `  limits: depth ${limits.maxDepth}, aliases ${limits.maxAliases}, tokens ${limits.maxTokens}, directives ${limits.maxDirectives}, cost ${limits.cost.anonymous} (anonymous), body ${limits.maxBodyBytes} B; rate budget ${limits.rate?.budgets.ANONYMOUS} points`,
    );
    console.log(
      '  request                          status  refused by                  req/s   mean ms   vs baseline',
    );
    const row = (name: string, status: number, by: string, r: autocannon.Result, ratio: string) =>
      console.log(
        `  ${name.padEnd(32)} ${String(status).padStart(6)}  ${by.padEnd(24)} ${r.requests.average.toFixed(0).padStart(7)} ${r.latency.mean.toFixed(2).padStart(9)}   ${ratio}`,
      );
    await load(on.url, BASELINE, connections, 1); // warm-up, not counted
    const first = await load(on.url, BASELINE, connections, seconds);
    onlyStatus('{ __typename }', first, 200);
    const bombResults = [];
    for (const bomb of BOMBS) {
      const result = await load(on.url, bomb.body, connections, seconds);
      onlyStatus(bomb.name, result, bomb.status);
      bombResults.push(result);
    }
    const big = BOMBS.find((b) => b.status === 413)!;
    const floor = await load(bare.url, big.body, connections, seconds);
    onlyStatus('bare 413', floor, 413);
    const last = await load(on.url, BASELINE, connections, seconds);
    onlyStatus('{ __typename }', last, 200);
    const baseline = (first.latency.mean + last.latency.mean) / 2;
    row('{ __typename } (first)', 200, '—', first, `${(first.latency.mean / baseline).toFixed(2)}×`);
    for (const [i, bomb] of BOMBS.entries()) {
      const r = bombResults[i]!;
      row(bomb.name, bomb.status, bomb.refusedBy ?? '', r, `${(r.latency.mean / baseline).toFixed(2)}×`);
    }
    row(
      '  same, bare Node http (floor)',
      413,
      'not read',
      floor,
      `${(floor.latency.mean / baseline).toFixed(2)}× (API ÷ floor ${(bombResults[BOMBS.indexOf(big)]!.latency.mean / floor.latency.mean).toFixed(2)}×)`,
    );
    row('{ __typename } (last)', 200, '—', last, `${(last.latency.mean / baseline).toFixed(2)}×`);

    // ── 2. HubPage with limits and rate accounting on and off, alternating ──
    const body = JSON.stringify(HUB_PAGE);
    const answers = await Promise.all([post(on.url, body), post(off.url, body)]);
    for (const a of answers)
      if (a.status !== 200 || JSON.parse(a.text).errors) throw new Error(`HubPage: ${a.text.slice(0, 300)}`);
    const data = answers.map((a) => JSON.stringify(JSON.parse(a.text).data));
    if (data[0] !== data[1]) throw new Error('HubPage: the two servers answer differently');
    await load(on.url, body, connections, 1);
    await load(off.url, body, connections, 1);
    const totals = { on: 0, off: 0 };
    const perRound: string[] = [];
    const ratios: number[] = [];
    for (let r = 0; r < hubPageRounds; r++) {
      const order = r % 2 === 0 ? (['on', 'off'] as const) : (['off', 'on'] as const);
      const rps = { on: 0, off: 0 };
      for (const which of order) {
        const result = await load(which === 'on' ? on.url : off.url, body, connections, seconds);
        onlyStatus(`HubPage (${which})`, result, 200);
        rps[which] = result.requests.average;
        totals[which] += result.requests.total;
      }
      ratios.push(rps.on / rps.off);
      perRound.push(
        `${order.join(' → ')}: ${rps.on.toFixed(0)} / ${rps.off.toFixed(0)} (${(rps.on / rps.off).toFixed(3)}×)`,
      );
    }
    const onRps = totals.on / (hubPageRounds * seconds);
    const offRps = totals.off / (hubPageRounds * seconds);
    console.log(
      `\nHubPage (WM1) with limits and rate accounting on vs off: ${connections} connections, ${hubPageRounds} rounds × ${seconds} s each, alternating`,
    );
    for (const [i, line] of perRound.entries()) console.log(`  round ${i + 1}  ${line}`);
    console.log(`  limits on (cost checked, budget charged)   ${onRps.toFixed(0).padStart(6)} req/s`);
    console.log(`  limits off (RATE_LIMIT=off, maxima)        ${offRps.toFixed(0).padStart(6)} req/s`);
    const median = [...ratios].sort((a, b) => a - b)[Math.floor(ratios.length / 2)]!;
    console.log(
      `  on ÷ off                                   ${(onRps / offRps).toFixed(3)}× (median of rounds ${median.toFixed(3)}×)`,
    );

    // ── 3, printed ──
    console.log(
      `\nServer memory around ${rounds} rounds of the ${BOMBS.length} bombs (sequential, ${roundsSeconds.toFixed(1)} s)${before.gc ? ', after a forced GC' : ' (no --expose-gc: heap not collected first)'}`,
    );
    console.log('                                   RSS MiB   heapUsed MiB');
    const mem = (name: string, m: Memory) =>
      console.log(`  ${name.padEnd(32)} ${mib(m.rss).padStart(7)} ${mib(m.heapUsed).padStart(14)}`);
    mem('before (after 200 { __typename })', before);
    mem('after round 1', afterOne);
    mem(`after round ${rounds}`, after);
    console.log(
      `  after ÷ before                   ${(after.rss / before.rss).toFixed(3).padStart(7)}× ${(after.heapUsed / before.heapUsed).toFixed(3).padStart(13)}×`,
    );
  } finally {
    await Promise.all([stop(on.child), stop(off.child), stop(bare.child)]);
    await Promise.all([
      rm(dirOn, { recursive: true, force: true }),
      rm(dirOff, { recursive: true, force: true }),
    ]);
  }
}
