// `pnpm bench`: benchmarks that print figures, each beside a floor measured in the same run.
// Needs PostgreSQL for the national-scale parts: BENCH_DATABASE_URL (an admin URL; default
// postgres://postgres@127.0.0.1:5432/postgres). Pass section names to run only some:
//   pnpm bench cold-start national-seed
import os from 'node:os';
import { benchApi } from './api.ts';
import { benchDisclosure } from './disclosure.ts';
import { benchFleet } from './fleet.ts';
import { benchLimits } from './limits.ts';
import { benchPeer } from './peer.ts';
import { benchColdStart, benchNationalSeed } from './platform.ts';
import { benchProfile } from './profile.ts';
import { benchRegister } from './register.ts';
import { benchSeason } from './season.ts';
import { benchStats } from './stats.ts';
import { benchSuppression } from './suppression.ts';

const adminUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const wanted = new Set(process.argv.slice(2));
const run = (name: string) => wanted.size === 0 || wanted.has(name);

console.log(
  `Machine: ${os.cpus().length} × ${os.cpus()[0]?.model}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`,
);
if (run('cold-start')) await benchColdStart();
const nationalUrl = new URL(adminUrl);
nationalUrl.pathname = '/maths_hubs_bench';
// The API benchmarks read the national dataset; `national-seed` (re)creates it.
if (run('national-seed')) await benchNationalSeed(adminUrl);
if (run('api')) await benchApi(nationalUrl.toString());
if (run('stats')) await benchStats(nationalUrl.toString());
if (run('disclosure')) await benchDisclosure(nationalUrl.toString());
if (run('fleet')) await benchFleet(nationalUrl.toString());
// Against PostGraphile v5 over the same database (installed on first use in scripts/bench/peer).
if (run('season')) await benchSeason(nationalUrl.toString());
if (run('peer')) await benchPeer(nationalUrl.toString());
if (run('profile')) await benchProfile(nationalUrl.toString());
// A fresh database of its own, and an embedded data directory.
if (run('register')) await benchRegister(adminUrl);
// The embedded database only (no PostgreSQL needed).
if (run('limits')) await benchLimits();
// In process, no database.
if (run('suppression')) await benchSuppression();

if (run('sdk-size')) {
  const { measureBundles } = await import('../../packages/sdk/scripts/size.ts');
  const { withSdk, withBaseClient, byHand } = await measureBundles();
  const ratio = (bytes: number) => (bytes / byHand.gzipped).toFixed(1);
  console.log('\nSDK in a browser bundle that lists a hub’s recruiting cohorts (esbuild, minified; gzip -9)');
  console.log(
    '  fetch by hand (floor)                %d B minified, %d B gzipped',
    byHand.minified,
    byHand.gzipped,
  );
  console.log(
    '  createBaseClient + one document      %d B minified, %d B gzipped (%s× floor; budget 2000 B)',
    withBaseClient.minified,
    withBaseClient.gzipped,
    ratio(withBaseClient.gzipped),
  );
  console.log(
    '  createClient (every method)          %d B minified, %d B gzipped (%s× floor; budget 5120 B)',
    withSdk.minified,
    withSdk.gzipped,
    ratio(withSdk.gzipped),
  );
  // What the server hands to browsers, as built by `pnpm install` (packages/embed/build.mjs).
  const { readFileSync } = await import('node:fs');
  const { gzipSync } = await import('node:zlib');
  const embed = await import('../../packages/embed/build.mjs');
  await embed.buildEmbed();
  for (const [label, file] of [
    ['/embed/maths-hubs.js (both widgets)', 'maths-hubs.js'],
    ['/examples/dashboard (with Plot)', 'dashboard/dashboard.js'],
  ] as const) {
    const code = readFileSync(`${embed.outdir}/${file}`);
    console.log(
      '  %s %d B minified, %d B gzipped',
      label.padEnd(36),
      code.byteLength,
      gzipSync(code, { level: 9 }).byteLength,
    );
  }
}
