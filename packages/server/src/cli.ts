// Database commands: `pnpm db:migrate`, `pnpm db:seed [--scale demo|national|none]`, `pnpm db:reset`.
// They act on the database the configuration names: DATABASE_URL, else the embedded one in DATA_DIR.
import { parseArgs } from 'node:util';
import { seed } from '@maths-hubs/db/seed/index';
import { ConfigError, loadConfig } from './config.ts';
import { openDatabase } from './db.ts';

const usage = `Usage:
  pnpm db:migrate                         apply pending migrations
  pnpm db:seed [--scale demo|national|none]   load reference data and a synthetic layer (default demo)
  pnpm db:reset                           drop everything, migrate, and seed the demo layer`;

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { scale: { type: 'string', default: 'demo' }, help: { type: 'boolean', short: 'h' } },
});
const command = positionals[0];
if (values.help || !command || !['migrate', 'seed', 'reset'].includes(command)) {
  console.log(usage);
  process.exit(values.help ? 0 : 2);
}
const scale = values.scale === 'none' ? null : values.scale;
if (scale !== null && scale !== 'demo' && scale !== 'national') {
  console.error(`--scale must be demo, national or none (got "${values.scale}")\n\n${usage}`);
  process.exit(2);
}

let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig();
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(78);
  }
  throw error;
}

// Migrations and bulk seeds run statements far longer than any request may: no statement timeout.
const db = await openDatabase(
  config.database.kind === 'postgres' ? { ...config.database, statementTimeoutMs: 0 } : config.database,
);
const started = performance.now();
try {
  console.log(`database: ${db.kind} (${db.location})`);
  if (command === 'reset') {
    await db.sql.exec('DROP SCHEMA public CASCADE; CREATE SCHEMA public;');
    console.log('dropped every table');
  }
  const applied = await db.migrate();
  console.log(applied.length > 0 ? `applied migrations: ${applied.join(', ')}` : 'no pending migrations');
  if (command !== 'migrate') {
    const report = await seed(db, { synthetic: scale, log: (m) => console.log(m) });
    console.log(JSON.stringify(report));
  }
  console.log(`done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
} finally {
  await db.close();
}
