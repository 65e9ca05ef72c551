// Produces every generated artefact from its source, in order:
//   1. the Prisma client and Pothos types      prisma/schema.prisma  → prisma/generated/ (ignored by git)
//   2. the printed GraphQL schema              packages/schema       → schema.graphql (committed)
// With --check, nothing is written: it fails when a committed artefact is stale (used by CI).
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const check = process.argv.includes('--check');

// `prisma generate` does not need the native schema engine, but the CLI looks for one; a stub
// stops it from trying to download it (which these machines cannot do).
const stubDir = join(root, 'node_modules/.cache/maths-hubs');
const stub = join(stubDir, 'schema-engine-stub');
if (!existsSync(stub)) {
  mkdirSync(stubDir, { recursive: true });
  writeFileSync(stub, '#!/bin/sh\necho "the native schema engine is not used in this project" >&2\nexit 1\n');
  chmodSync(stub, 0o755);
}
execFileSync(join(root, 'node_modules/.bin/prisma'), ['generate'], {
  cwd: root,
  stdio: ['ignore', 'ignore', 'inherit'],
  env: {
    ...process.env,
    PRISMA_SCHEMA_ENGINE_BINARY: stub,
    PRISMA_HIDE_UPDATE_MESSAGE: '1',
    CHECKPOINT_DISABLE: '1',
  },
});
console.log('generated prisma/generated (Prisma client, Pothos types)');

// Imported only now: the schema package needs the client generated above.
const { printSchemaSorted } = await import('../packages/schema/src/index.ts');
const sdl = printSchemaSorted();
const target = join(root, 'schema.graphql');
const current = existsSync(target) ? readFileSync(target, 'utf8') : '';
if (check) {
  if (current !== sdl) {
    console.error('schema.graphql is stale: run `pnpm generate` and commit the result.');
    process.exit(1);
  }
  console.log('schema.graphql is current');
} else if (current !== sdl) {
  writeFileSync(target, sdl);
  console.log('wrote schema.graphql');
}
