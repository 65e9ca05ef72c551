// `pnpm start`: runs the server from plain JavaScript, not through tsx. The TypeScript sources
// (server, schema, generated Prisma client, seeds) are bundled with esbuild into
// packages/server/dist whenever one of them is newer than the bundle, which takes well under a
// second; later starts skip straight to Node. Third-party packages stay in node_modules.
import { existsSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import v8 from 'node:v8';

const root = resolve(import.meta.dirname, '..');
const outdir = join(root, 'packages/server/dist');
const entry = join(outdir, 'main.js');
const SOURCES = [
  'packages/server/src',
  'packages/schema/src',
  'prisma/generated',
  'prisma/seed',
  'prisma/sql.ts',
  'prisma/domain.ts',
];

/** The newest modification time under `path` (a file or a directory), in ms. */
function newest(path) {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  let latest = stat.mtimeMs;
  for (const name of readdirSync(path)) latest = Math.max(latest, newest(join(path, name)));
  return latest;
}

// `pg` too: Prisma's adapter (external) must receive the pool class of the `pg` it loads itself.
const KEEP_EXTERNAL =
  /^(@electric-sql\/pglite|@prisma\/|pglite-prisma-adapter|pg($|\/)|pino|thread-stream|esbuild)/;

export async function buildServer({ force = false } = {}) {
  const built = statSync(entry, { throwIfNoEntry: false })?.mtimeMs ?? 0;
  const changed = Math.max(
    newest(join(root, 'package.json')),
    newest(fileURLToPath(import.meta.url)), // how to build is a source too
    ...SOURCES.map((source) => newest(join(root, source))),
  );
  if (!force && built > changed) return false;
  const { build } = await import('esbuild');
  // Built beside, then swapped in: a process starting meanwhile never sees half a bundle.
  const building = `${outdir}-${process.pid}`;
  await build({
    entryPoints: { main: join(root, 'packages/server/src/main.ts') },
    outdir: building,
    bundle: true,
    splitting: true, // the seeds are a chunk of their own, loaded on a first start only
    format: 'esm',
    platform: 'node',
    target: 'node20',
    sourcemap: true,
    // Bundled CommonJS packages may call require() for Node's own modules.
    banner: {
      js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
    },
    logLevel: 'warning',
    plugins: [
      {
        // Bundled: our workspace's TypeScript and the pure-JavaScript packages it uses (one file
        // loads far faster than hundreds). Left in node_modules, loaded by the file their importer
        // resolves to: packages that find files beside their own code (WebAssembly, workers).
        name: 'external-packages',
        setup(b) {
          b.onResolve({ filter: /^[^./]/ }, async (args) => {
            if (!KEEP_EXTERNAL.test(args.path) || args.pluginData === 'resolving') return undefined;
            const found = await b.resolve(args.path, {
              kind: args.kind,
              resolveDir: args.resolveDir,
              pluginData: 'resolving',
            });
            if (found.errors.length > 0) return { errors: found.errors };
            return { path: found.path, external: true };
          });
        },
      },
    ],
  });
  rmSync(outdir, { recursive: true, force: true }); // no chunks left from earlier builds
  try {
    renameSync(building, outdir);
  } catch (error) {
    // Another process swapped in its build of the same sources first: keep that one.
    rmSync(building, { recursive: true, force: true });
    if (!existsSync(entry)) throw error;
  }
  return true;
}

/** Rebuilds the widgets and the example dashboard (packages/embed) when a source is newer. */
export async function buildEmbedIfStale() {
  const embed = await import('../packages/embed/build.mjs');
  const built = statSync(join(embed.outdir, 'maths-hubs.js'), { throwIfNoEntry: false })?.mtimeMs ?? 0;
  if (Math.max(...embed.sources.map(newest)) < built) return false;
  await embed.buildEmbed();
  return true;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await Promise.all([buildServer(), buildEmbedIfStale()]);
  if (!process.env.DATABASE_URL) {
    // The embedded database is PostgreSQL compiled to WebAssembly. V8's baseline (Liftoff) code
    // is enough for the demo data, and skipping the optimising tier keeps about 90 MiB out of
    // memory and starts faster (docs/benchmarks.md). Set before any WebAssembly compiles.
    v8.setFlagsFromString('--liftoff-only');
  }
  const { main } = await import(pathToFileURL(entry).href);
  await main();
}
