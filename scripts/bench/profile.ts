// Where the CPU goes while serving the hub page (response cache off) on the national dataset: the
// server runs with V8's sampling profiler (`--cpu-prof`) under autocannon load, and its samples
// are summed by package (our own code by file).
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import autocannon from 'autocannon';
import { QUERIES } from './api.ts';
import { startAndTime, stop } from './process.ts';

const root = resolve(import.meta.dirname, '../..');

interface Profile {
  nodes: { id: number; callFrame: { url: string; functionName: string } }[];
  samples: number[];
  timeDeltas: number[];
}

/** Milliseconds of samples per package (or per file of ours, or V8's own categories). */
function byPackage(profile: Profile): Map<string, number> {
  const frames = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
  const totals = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const { url, functionName } = frames.get(id)!;
    const pkg = /node_modules\/\.pnpm\/([^/]+)\//.exec(url)?.[1]?.replace(/_.*$/, '');
    const key = pkg ?? (url ? url.replace(/^.*\/(packages|node:)/, '$1') : `(${functionName || 'native'})`);
    totals.set(key, (totals.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  return totals;
}

export async function benchProfile(url: string, { seconds = 10, top = 12 } = {}) {
  const dir = await mkdtemp(join(tmpdir(), 'mh-profile-'));
  const port = 4903;
  const server = await startAndTime(
    // From the sources, so that samples name their package (the bundle would merge most of them).
    ['--cpu-prof', `--cpu-prof-dir=${dir}`, '--import', 'tsx', join(root, 'packages/server/src/main.ts')],
    { DATABASE_URL: url, PORT: String(port), LOG_LEVEL: 'warn', RATE_LIMIT: 'off', RESPONSE_CACHE: 'off' },
    port,
    { path: '/readyz' },
  );
  const hubPage = QUERIES[1]!;
  const result = await autocannon({
    url: `${server.url}/graphql`,
    method: 'POST',
    connections: 16,
    duration: seconds,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: hubPage.query, variables: hubPage.variables }),
  });
  await stop(server.child);
  const [file] = await readdir(dir);
  const totals = byPackage(JSON.parse(await readFile(join(dir, file!), 'utf8')) as Profile);
  await rm(dir, { recursive: true, force: true });
  const idle = totals.get('(idle)') ?? 0;
  const busy = [...totals].filter(([k]) => k !== '(idle)').reduce((sum, [, ms]) => sum + ms, 0);
  console.log(
    `\nCPU profile of the server under the hub page (${result.requests.average.toFixed(0)} req/s, cache off): ${(busy / 1000).toFixed(1)} s busy, ${(idle / 1000).toFixed(1)} s idle`,
  );
  for (const [name, ms] of [...totals]
    .filter(([k]) => k !== '(idle)')
    .sort((a, b) => b[1] - a[1])
    .slice(0, top))
    console.log(`  ${((100 * ms) / busy).toFixed(1).padStart(5)}%  ${name}`);
}
