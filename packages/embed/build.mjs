// Builds what the server hands to browsers, from the SDK's sources: the widgets' ES module
// (dist/maths-hubs.js, GET /embed/maths-hubs.js) and the example dashboard (dist/dashboard/,
// GET /examples/dashboard). Run by `pnpm install` and `pnpm build`; `pnpm start` reruns it when
// a source is newer than the build. Plain JavaScript, so that `pnpm start` can run it without tsx.
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const here = import.meta.dirname;
export const outdir = join(here, 'dist');
/** What the build reads: a change under these means the build is stale. */
export const sources = [join(here, 'src'), join(here, '../sdk/src'), join(here, 'build.mjs')];

/** @type {import('esbuild').BuildOptions} */
const common = {
  bundle: true,
  minify: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  sourcemap: 'linked',
  legalComments: 'none',
  // The SDK from source: this build does not wait on the SDK's own.
  alias: { '@maths-hubs/sdk': join(here, '../sdk/src/index.ts') },
  logLevel: 'warning',
};

export async function buildEmbed() {
  mkdirSync(join(outdir, 'dashboard'), { recursive: true });
  await Promise.all([
    build({
      ...common,
      entryPoints: [join(here, 'src/widgets/index.ts')],
      outfile: join(outdir, 'maths-hubs.js'),
    }),
    build({
      ...common,
      entryPoints: [join(here, 'src/dashboard/main.ts')],
      outfile: join(outdir, 'dashboard/dashboard.js'),
    }),
  ]);
  copyFileSync(join(here, 'src/dashboard/index.html'), join(outdir, 'dashboard/index.html'));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await buildEmbed();
