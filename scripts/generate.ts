// Produces every generated artefact from its source, in order:
//   1. the Prisma client and Pothos types   prisma/schema.prisma → prisma/generated/ (not committed)
//   2. the printed GraphQL schema           packages/schema      → schema.graphql (committed)
//   3. the SDK's typed documents            schema.graphql + packages/sdk/operations/*.graphql
//                                           → packages/sdk/src/generated/ (committed)
//   4. the persisted-operations manifest    → packages/sdk/persisted-operations.json (committed)
// With --check, it fails when a committed artefact was stale (CI runs this on a clean clone).
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const check = process.argv.includes('--check');
const COMMITTED = [
  'schema.graphql',
  'packages/sdk/src/generated/graphql.ts',
  'packages/sdk/persisted-operations.json',
];
const read = (file: string) => (existsSync(join(root, file)) ? readFileSync(join(root, file), 'utf8') : '');
const before = new Map(COMMITTED.map((file) => [file, read(file)]));

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
writeFileSync(join(root, 'schema.graphql'), printSchemaSorted());

execFileSync('pnpm', ['--filter', '@maths-hubs/sdk', 'run', 'codegen'], {
  cwd: root,
  stdio: ['ignore', 'ignore', 'inherit'],
});
console.log('generated schema.graphql, the SDK documents and the persisted-operations manifest');

const stale = COMMITTED.filter((file) => read(file) !== before.get(file));
if (stale.length > 0) {
  console.log(`${check ? 'stale' : 'updated'}: ${stale.join(', ')}`);
  if (check) {
    console.error('Generated files were out of date: run `pnpm generate` and commit the result.');
    process.exit(1);
  }
}
