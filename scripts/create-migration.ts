// Creates the next migration from the difference between prisma/schema.prisma and the committed
// migrations, without Prisma's native schema engine (which cannot be downloaded here).
//
//   pnpm migration:create <name>   writes prisma/migrations/<timestamp>_<name>/migration.sql
//   pnpm migration:create --check  exits 1 when the schema has changes no migration covers
//
// How: apply the committed migrations to a throw-away in-memory PGlite with our own runner, then
// ask Prisma's WebAssembly schema engine for the SQL that takes that database to the schema.
// Review the generated SQL before committing: CHECK constraints, extensions and data changes are
// written by hand (Prisma's diff neither creates nor drops CHECK constraints).
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import * as runtime from '@prisma/schema-engine-wasm/schema_engine_bg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { applyMigrations, MIGRATIONS_DIR } from '../packages/server/src/migrate.ts';

const SCHEMA_PATH = resolve('prisma/schema.prisma');

// Instantiates the engine the way Prisma's CLI does, from the wasm file its package ships.
async function loadSchemaEngine(datamodels: [string, string][], adapter: object) {
  const wasmPath = fileURLToPath(import.meta.resolve('@prisma/schema-engine-wasm/schema_engine_bg')).replace(
    /schema_engine_bg\.js$/,
    'schema_engine_bg.wasm',
  );
  const module = new WebAssembly.Module(await readFile(wasmPath));
  const instance = new WebAssembly.Instance(module, { './schema_engine_bg.js': runtime as never });
  const exports = instance.exports as WebAssembly.Exports & { __wbindgen_start: () => void };
  (runtime as unknown as { __wbg_set_wasm: (e: unknown) => void }).__wbg_set_wasm(exports);
  exports.__wbindgen_start();
  return runtime.SchemaEngine.new({ datamodels }, () => {}, adapter);
}

async function pendingSql(): Promise<string> {
  const pglite = await PGlite.create({ extensions: { pg_trgm } });
  await applyMigrations({
    query: async (text, params) => (await pglite.query(text, params)).rows as never,
    exec: async (script) => void (await pglite.exec(script)),
    transaction: (fn) =>
      fn({
        query: async (text, params) => (await pglite.query(text, params)).rows as never,
        exec: async (script) => void (await pglite.exec(script)),
        transaction: () => {
          throw new Error('nested');
        },
      }),
  });
  const schema = { files: [{ path: SCHEMA_PATH, content: await readFile(SCHEMA_PATH, 'utf8') }] };
  const engine = await loadSchemaEngine(
    schema.files.map((f) => [f.path, f.content]),
    bindMigrationAwareSqlAdapterFactory(new PrismaPGlite(pglite)),
  );
  const result = await engine.diff({
    from: { tag: 'schemaDatasource', files: schema.files, configDir: resolve('.') },
    to: { tag: 'schemaDatamodel', ...schema },
    script: true,
    exitCode: null,
    filters: { externalTables: [], externalEnums: [] },
  } as never);
  await pglite.close();
  return (result as { stdout?: string }).stdout ?? '';
}

function isEmpty(sql: string) {
  return sql.replace(/--.*$/gm, '').trim() === '';
}

const args = process.argv.slice(2);
const sql = await pendingSql();
if (args.includes('--check')) {
  if (isEmpty(sql)) {
    console.log('prisma/schema.prisma matches the committed migrations.');
  } else {
    console.error('prisma/schema.prisma has changes that no migration covers:\n');
    console.error(sql);
    console.error('Run `pnpm migration:create <name>` and commit the result.');
    process.exitCode = 1;
  }
} else {
  const name = args[0];
  if (!name || !/^[a-z0-9_]+$/.test(name)) {
    console.error('Usage: pnpm migration:create <name>   (lower case, digits and underscores)');
    process.exit(2);
  }
  if (isEmpty(sql)) {
    console.log('No changes: the schema matches the committed migrations.');
  } else {
    const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
    const dir = join(MIGRATIONS_DIR, `${stamp}_${name}`);
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'migration.sql'), sql);
    console.log(`Wrote ${dir}/migration.sql — review it, then commit.`);
  }
}
