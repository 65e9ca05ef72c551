// `pnpm bench peer`: the reads hub websites and tools make most, ours against PostGraphile v5 over
// the same national database, and `{ __typename }` against a bare graphql-yoga server too.
//
// - Ours runs as `pnpm start` does, with production defaults (cost limits, rate limits with budgets
//   too large to refuse: the benchmark is one client). Reads marked "cache off" go to a second
//   process of ours with RESPONSE_CACHE=off, because what is measured there is the execution the
//   cache would otherwise skip; the rest go to the one with the cache on, as deployed.
// - Before anything is timed, each read is asked of both sides and the rows they return compared:
//   a ratio between two servers that answer differently would mean nothing.
// - Each comparison runs in rounds A B B A A B B A (4 rounds a side, `seconds` each, after a warm-up
//   of each side); each side's figure is the median of its rounds, shown with the spread.
import type { ChildProcess } from 'node:child_process';
import autocannon from 'autocannon';
import { operationDocument, shippedDocuments } from '../../packages/sdk/scripts/documents.ts';
import { academicYearOf } from '../../prisma/domain.ts';
import { buildServer } from '../start.mjs';
import { median, PEER_HUB_PAGE, spread, startBareYoga, startPeer } from './peers.ts';
import { ADMIN_KEY, serveBundled, stop } from './process.ts';

type Json = any;

interface Side {
  /** Which server: ours with the cache, ours without, PostGraphile, bare Yoga. */
  server: 'ours' | 'oursNoCache' | 'peer' | 'bare';
  query: string;
  /** Variables per request; a function draws them afresh (e.g. a random hub). */
  variables: () => Record<string, unknown>;
  admin?: boolean;
  /** A persisted GET by the SDK's hash instead of a POST with the document. */
  persistedGet?: string;
  /** The rows the answer holds, in a form both sides share; compared before timing. */
  rows?: (data: Json) => unknown;
}

interface Read {
  name: string;
  ours: Side;
  them: Side;
}

const sortBy = <T>(xs: T[]) => [...xs].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

/** The reads, each with the same data asked of the peer in its own schema of the same tables. */
function reads(hubs: string[], today: Date): Read[] {
  const randomHub = () => ({ code: hubs[Math.floor(Math.random() * hubs.length)] });
  const hubRows = (cohorts: Json[]) => cohorts.map((c: Json) => [c.code, c.capacity]);
  const hubPageOurs = (data: Json) => hubRows(data.hub.recruitingCohorts.nodes);
  const hubPageTheirs = (data: Json) => hubRows(data.hubs.nodes[0].cohorts.nodes);
  const typename: Side = { server: 'ours', query: '{ __typename }', variables: () => ({}) };
  const year = academicYearOf(today);
  return [
    {
      name: '{ __typename }, anonymous, vs bare graphql-yoga',
      ours: typename,
      them: { ...typename, server: 'bare' },
    },
    {
      name: '{ __typename }, anonymous',
      ours: typename,
      them: { ...typename, server: 'peer' },
    },
    {
      name: 'hub page, admin key, cache off',
      ours: {
        server: 'oursNoCache',
        query: operationDocument('HubPage'),
        variables: randomHub,
        admin: true,
        rows: hubPageOurs,
      },
      them: { server: 'peer', query: PEER_HUB_PAGE, variables: randomHub, rows: hubPageTheirs },
    },
    {
      name: 'hub page, anonymous, cache on (no writes)',
      ours: { server: 'ours', query: operationDocument('HubPage'), variables: randomHub, rows: hubPageOurs },
      them: { server: 'peer', query: PEER_HUB_PAGE, variables: randomHub, rows: hubPageTheirs },
    },
    {
      name: 'hub page, persisted GET, cache on (no writes)',
      ours: {
        server: 'ours',
        query: operationDocument('HubPage'),
        persistedGet: shippedDocuments.HubPage!.hash,
        variables: randomHub,
        rows: hubPageOurs,
      },
      them: { server: 'peer', query: PEER_HUB_PAGE, variables: randomHub, rows: hubPageTheirs },
    },
    {
      name: 'deep tour 5 × 5 × 5, admin key, cache off',
      ours: {
        server: 'oursNoCache',
        query: operationDocument('DeepTour'),
        variables: () => ({ hubs: 5, cohorts: 5, enrolments: 5 }),
        admin: true,
        rows: (data) =>
          data.hubs.nodes.map((h: Json) => [
            h.code,
            h.cohorts.totalCount,
            h.cohorts.nodes.map((c: Json) => [
              c.code,
              c.placesTaken,
              c.programme.slug,
              c.programme.currentYear?.academicYear ?? null,
              c.enrolments.totalCount,
              c.enrolments.nodes.map((e: Json) => [
                e.role,
                e.participant.email,
                e.participant.school?.urn,
                e.participant.school?.hub?.region.code,
              ]),
            ]),
          ]),
      },
      them: {
        server: 'peer',
        query: `query DeepTour($hubs: Int, $cohorts: Int, $enrolments: Int) {
          hubs(first: $hubs, orderBy: CODE_ASC) { totalCount nodes { code
            cohorts(first: $cohorts, orderBy: [ACADEMIC_YEAR_DESC, CODE_ASC]) { totalCount nodes {
              code capacity placesTaken status applicationDeadline
              programme { slug programmeYears(orderBy: ACADEMIC_YEAR_DESC) { nodes { academicYear } } }
              enrolments(first: $enrolments, orderBy: ROW_ID_ASC) { totalCount nodes {
                role status sessionsPresent sessionsRecorded
                participant { name email school { urn name hub { code region { code name } } } } } } } } } } }`,
        variables: () => ({ hubs: 5, cohorts: 5, enrolments: 5 }),
        rows: (data) =>
          data.hubs.nodes.map((h: Json) => [
            h.code,
            h.cohorts.totalCount,
            h.cohorts.nodes.map((c: Json) => [
              c.code,
              c.placesTaken,
              c.programme.slug,
              // This year's, or the latest before it (the amber preset filters by equality only).
              c.programme.programmeYears.nodes.find((y: Json) => y.academicYear <= year)?.academicYear ??
                null,
              c.enrolments.totalCount,
              c.enrolments.nodes.map((e: Json) => [
                e.role,
                e.participant.email,
                e.participant.school?.urn,
                e.participant.school?.hub?.region.code,
              ]),
            ]),
          ]),
      },
    },
    {
      name: 'programme page, anonymous, cache off',
      ours: {
        server: 'oursNoCache',
        query: operationDocument('ProgrammePage'),
        variables: () => ({ slug: 'secondary-tfm-development' }),
        rows: ({ programme: p }) => ({
          years: p.years.map((y: Json) => [y.academicYear, y.projectCode]),
          funding: p.funding.map((f: Json) => [f.payer, f.amountPence, f.description]),
          eligibility: p.eligibility.map((e: Json) => [e.description, e.requiredProgramme?.slug ?? null]),
          prerequisites: sortBy(p.prerequisites.map((x: Json) => x.slug)),
          leadsTo: sortBy(p.leadsTo.map((x: Json) => x.slug)),
        }),
      },
      them: {
        server: 'peer',
        query: `query ProgrammePage($slug: String!, $year: String) { programmes(condition: { slug: $slug }, first: 1) { nodes {
          id slug name family phase kind masteryPhase status summary audience outcomes timeCommitment fullyFunded
          currentYear: programmeYears(condition: { academicYear: $year }) { nodes { academicYear status projectCode } }
          eligibilityRules(orderBy: POSITION_ASC) { nodes { description kind schoolPhases requiredProgramme { slug name } } }
          fundingLines(orderBy: POSITION_ASC) { nodes { payer amountPence unit description academicYear } }
          programmeLinksByToId(orderBy: FROM_ID_ASC) { nodes { required rule from { slug name } } }
          programmeLinksByFromId(orderBy: TO_ID_ASC) { nodes { to { slug name } } }
          replacedBy { slug name }
          programmeYears(orderBy: ACADEMIC_YEAR_ASC) { nodes { academicYear projectCode status applicationDeadline } } } } }`,
        variables: () => ({ slug: 'secondary-tfm-development', year }),
        rows: ({ programmes }) => {
          const p = programmes.nodes[0];
          return {
            years: p.programmeYears.nodes.map((y: Json) => [y.academicYear, y.projectCode]),
            funding: p.fundingLines.nodes.map((f: Json) => [f.payer, f.amountPence, f.description]),
            eligibility: p.eligibilityRules.nodes.map((e: Json) => [
              e.description,
              e.requiredProgramme?.slug ?? null,
            ]),
            prerequisites: sortBy(p.programmeLinksByToId.nodes.map((l: Json) => l.from.slug)),
            leadsTo: sortBy(p.programmeLinksByFromId.nodes.map((l: Json) => l.to.slug)),
          };
        },
      },
    },
    {
      name: 'school search by name, anonymous, cache off',
      ours: {
        server: 'oursNoCache',
        query: operationDocument('SchoolSearch'),
        variables: () => ({ search: 'church', first: 10 }),
        rows: ({ schools }) => [schools.totalCount, schools.nodes.map((s: Json) => [s.urn, s.hub?.code])],
      },
      them: {
        server: 'peer',
        query: `query SchoolSearch($search: String!, $first: Int) { schoolSearch: benchPeerSchoolSearch(search: $search, first: $first) {
          totalCount nodes { rowId urn name phase type stateFunded localAuthority postcode hub { code name } } } }`,
        variables: () => ({ search: 'church', first: 10 }),
        rows: ({ schoolSearch }) => [
          schoolSearch.totalCount,
          schoolSearch.nodes.map((s: Json) => [s.urn, s.hub?.code]),
        ],
      },
    },
  ];
}

type Urls = Record<Side['server'], string>;

function request(
  side: Side,
  urls: Urls,
): () => { method: 'GET' | 'POST'; url: string; headers: Record<string, string>; body?: string } {
  const base = urls[side.server];
  const headers: Record<string, string> = {
    'accept-encoding': 'gzip',
    ...(side.admin ? { authorization: `Bearer ${ADMIN_KEY}` } : {}),
  };
  if (side.persistedGet) {
    const extensions = JSON.stringify({ persistedQuery: { version: 1, sha256Hash: side.persistedGet } });
    return () => ({
      method: 'GET' as const,
      url: `${base}/graphql?extensions=${encodeURIComponent(extensions)}&variables=${encodeURIComponent(JSON.stringify(side.variables()))}`,
      headers,
    });
  }
  return () => ({
    method: 'POST' as const,
    url: `${base}/graphql`,
    headers: { ...headers, 'content-type': 'application/json' },
    body: JSON.stringify({ query: side.query, variables: side.variables() }),
  });
}

/** One answer's data, refusing errors. */
async function ask(side: Side, urls: Urls, variables: Record<string, unknown>) {
  const made = request({ ...side, variables: () => variables }, urls)();
  const response = await fetch(made.url, { method: made.method, headers: made.headers, body: made.body });
  const body = (await response.json()) as { data?: Json; errors?: unknown };
  if (!response.ok || body.errors)
    throw new Error(`${side.server}: HTTP ${response.status} ${JSON.stringify(body.errors).slice(0, 400)}`);
  return body.data;
}

/** Both sides must return the same rows for the same variables before either is timed. */
async function sameRows(read: Read, urls: Urls) {
  if (!read.ours.rows || !read.them.rows) return 'not compared (no rows)';
  let compared = 0;
  for (let i = 0; i < 5; i++) {
    const variables = read.ours.variables();
    const theirVariables = { ...read.them.variables(), ...variables };
    const ours = JSON.stringify(read.ours.rows(await ask(read.ours, urls, variables)));
    const theirs = JSON.stringify(read.them.rows(await ask(read.them, urls, theirVariables)));
    if (ours !== theirs)
      throw new Error(
        `${read.name}: the two sides answer differently for ${JSON.stringify(variables)}\n  ours:   ${ours.slice(0, 600)}\n  theirs: ${theirs.slice(0, 600)}`,
      );
    compared++;
  }
  return `same rows in ${compared} of ${compared} asks`;
}

async function load(side: Side, urls: Urls, connections: number, seconds: number) {
  const next = request(side, urls);
  const first = next();
  const result = await autocannon({
    url: first.url,
    connections,
    duration: seconds,
    requests: [
      {
        method: first.method,
        setupRequest: (r) => {
          const made = next();
          return {
            ...r,
            method: made.method,
            path: new URL(made.url).pathname + new URL(made.url).search,
            headers: made.headers,
            body: made.body,
          };
        },
      },
    ],
  });
  if (result.non2xx > 0 || result.errors > 0)
    throw new Error(`${side.server}: ${result.non2xx} non-2xx answers, ${result.errors} errors`);
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99 };
}

export async function benchPeer(
  url: string,
  { connections = 16, seconds = Number(process.env.BENCH_SECONDS ?? 8), only = process.env.BENCH_READS } = {},
) {
  await buildServer();
  const children: ChildProcess[] = [];
  try {
    // Budgets too large to refuse; everything else as deployed.
    const budgets = {
      RATE_LIMIT: 'on',
      RATE_LIMIT_ANONYMOUS: '1000000000',
      RATE_LIMIT_NATIONAL_ADMIN: '1000000000',
    };
    const ours = await serveBundled(url, 4921, budgets);
    children.push(ours.child);
    const oursNoCache = await serveBundled(url, 4922, { ...budgets, RESPONSE_CACHE: 'off' });
    children.push(oursNoCache.child);
    const peer = await startPeer(url, 4923);
    children.push(peer.child);
    const bare = await startBareYoga(4924);
    children.push(bare.child);
    const urls: Urls = { ours: ours.url, oursNoCache: oursNoCache.url, peer: peer.url, bare: bare.url };
    const hubs = (
      (await ask(
        { server: 'ours', query: '{ hubs(first: 100) { nodes { code } } }', variables: () => ({}) },
        urls,
        {},
      )) as Json
    ).hubs.nodes.map((h: Json) => h.code as string);

    console.log(
      `\nReads against the peer: ${connections} connections, rounds of ${seconds} s in the order A B B A A B B A (median of 4 a side, spread in brackets); national dataset on PostgreSQL`,
    );
    const selected = reads(hubs, new Date()).filter(
      (r) => !only || only.split(',').some((o) => r.name.includes(o)),
    );
    const table: string[] = [];
    for (const read of selected) {
      const check = await sameRows(read, urls);
      // Warm both (JIT, pools, our cache) unmeasured.
      await load(read.ours, urls, connections, 3);
      await load(read.them, urls, connections, 3);
      const rounds: Record<'ours' | 'them', Awaited<ReturnType<typeof load>>[]> = { ours: [], them: [] };
      for (const who of ['ours', 'them', 'them', 'ours', 'ours', 'them', 'them', 'ours'] as const)
        rounds[who].push(await load(read[who], urls, connections, seconds));
      const figure = (who: 'ours' | 'them') => ({
        rps: median(rounds[who].map((r) => r.rps)),
        p50: median(rounds[who].map((r) => r.p50)),
        p99: median(rounds[who].map((r) => r.p99)),
        spread: spread(rounds[who].map((r) => r.rps)),
      });
      const [a, b] = [figure('ours'), figure('them')];
      const peerName = read.them.server === 'bare' ? 'bare Yoga' : 'PostGraphile';
      console.log(`  ${read.name}  (${check})`);
      console.log(
        `    ours          ${a.rps.toFixed(0).padStart(6)} req/s (${a.spread})  p50 ${a.p50} ms  p99 ${a.p99} ms`,
      );
      console.log(
        `    ${peerName.padEnd(13)} ${b.rps.toFixed(0).padStart(6)} req/s (${b.spread})  p50 ${b.p50} ms  p99 ${b.p99} ms`,
      );
      console.log(`    ratio         ${(a.rps / b.rps).toFixed(2)}×`);
      table.push(
        `| ${read.name} | ${a.rps.toFixed(0)} (${a.spread}), p50 ${a.p50}, p99 ${a.p99} | ${peerName}: ${b.rps.toFixed(0)} (${b.spread}), p50 ${b.p50}, p99 ${b.p99} | **${(a.rps / b.rps).toFixed(2)}×** |`,
      );
    }
    console.log('\n| read | ours req/s (spread), ms | peer req/s (spread), ms | ratio |\n|---|---|---|---|');
    for (const line of table) console.log(line);
  } finally {
    for (const child of children) await stop(child);
  }
}
