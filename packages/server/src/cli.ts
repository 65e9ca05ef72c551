// Database commands. They act on the database the configuration names: DATABASE_URL, else the
// embedded one in DATA_DIR (locked while in use: exit 75, as the server does).
//   pnpm db:migrate | db:seed [--scale …] | db:reset
//   pnpm db:import-schools FILE [--dry-run] [--strict] [--json] [--links FILE]
//   pnpm db:import-hub-areas FILE [--dry-run] [--json]
import { parseArgs } from 'node:util';
import { RegisterFileError } from '@maths-hubs/db/register/gias';
import { importHubAreas } from '@maths-hubs/db/register/hub-areas';
import { type ImportReport, importRegister } from '@maths-hubs/db/register/import';
import { seed } from '@maths-hubs/db/seed/index';
import { ConfigError, loadConfig } from './config.ts';
import { type Database, DataDirLockedError, openDatabase } from './db.ts';
import { createLogger } from './logger.ts';
import { progressReporter, registerSummary } from './register-report.ts';
import { createSharedState } from './shared-state.ts';

const usage = `Usage:
  pnpm db:migrate                                    apply pending migrations
  pnpm db:seed [--scale demo|national|none]          load reference data and a synthetic layer (default demo)
  pnpm db:reset                                      drop everything, migrate, and seed the demo layer
  pnpm db:import-schools FILE [--links FILE] [--dry-run] [--strict] [--json]
                                                     load England's school register (GIAS all establishment data)
  pnpm db:import-hub-areas FILE [--dry-run] [--json] which hub serves which local authority (CSV:
                                                     local_authority_code,local_authority,hub_code)

Exit codes: 0 done; 3 invalid rows were skipped (with --strict: nothing was applied); 2 bad usage;
75 the embedded data directory is in use; 78 bad configuration; 1 anything else.`;

const COMMANDS = ['migrate', 'seed', 'reset', 'import-schools', 'import-hub-areas'];

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    scale: { type: 'string', default: 'demo' },
    'dry-run': { type: 'boolean', default: false },
    strict: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
    links: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});
const [command, file] = positionals;
const importing = command === 'import-schools' || command === 'import-hub-areas';
if (values.help || !command || !COMMANDS.includes(command) || (importing && !file)) {
  console.log(usage);
  process.exit(values.help ? 0 : 2);
}
const scale = values.scale === 'none' ? null : values.scale;
if (scale !== null && scale !== 'demo' && scale !== 'national') {
  console.error(`--scale must be demo, national or none (got "${values.scale}")\n\n${usage}`);
  process.exit(2);
}
/** Messages go to stderr when stdout carries the JSON report. */
const say = (message: string) => (values.json ? console.error(message) : console.log(message));

/**
 * An import writes schools and hub areas outside the API: the servers' cached answers are dropped
 * through Redis when they share it (REDIS_URL); a server without Redis keeps its answers for at
 * most RESPONSE_CACHE_TTL_SECONDS.
 */
async function dropCachedAnswers(config: ReturnType<typeof loadConfig>) {
  if (!config.redisUrl || config.responseCacheTtlSeconds === null) return;
  const shared = createSharedState(config.redisUrl, createLogger('silent'));
  try {
    for (let i = 0; i < 40 && !shared.status().healthy; i++) await new Promise((r) => setTimeout(r, 50));
    await shared.responseCache(config.responseCacheTtlSeconds * 1000).invalidate(['*']);
    say(
      shared.status().healthy
        ? 'dropped the servers’ cached answers'
        : 'Redis unreachable: cached answers expire by themselves',
    );
  } finally {
    await shared.close();
  }
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

let db: Database;
try {
  // Migrations, seeds and imports run statements far longer than any request may: no statement timeout.
  db = await openDatabase(
    config.database.kind === 'postgres' ? { ...config.database, statementTimeoutMs: 0 } : config.database,
  );
} catch (error) {
  if (error instanceof DataDirLockedError) {
    console.error(error.message);
    process.exit(75); // EX_TEMPFAIL
  }
  throw error;
}

const started = performance.now();
let exitCode = 0;
try {
  say(`database: ${db.kind} (${db.location})`);
  if (command === 'reset') {
    await db.sql.exec('DROP SCHEMA public CASCADE; CREATE SCHEMA public;');
    say('dropped every table');
  }
  const applied = await db.migrate();
  say(applied.length > 0 ? `applied migrations: ${applied.join(', ')}` : 'no pending migrations');
  if (command === 'seed' || command === 'reset') {
    const report = await seed(db, { synthetic: scale, log: say });
    console.log(JSON.stringify(report));
  } else if (command === 'import-schools') {
    const progress = values.json ? undefined : progressReporter(process.stderr);
    const report: ImportReport = await importRegister(db.sql, file!, {
      dryRun: values['dry-run'],
      strict: values.strict,
      links: values.links,
      onProgress: progress?.update,
    });
    progress?.done();
    console.log(values.json ? JSON.stringify(report, null, 2) : registerSummary(report));
    exitCode = report.invalid > 0 ? 3 : 0;
  } else if (command === 'import-hub-areas') {
    const report = await importHubAreas(db.sql, file!, { dryRun: values['dry-run'] });
    if (values.json) console.log(JSON.stringify(report, null, 2));
    else {
      for (const bad of report.invalid) console.log(`line ${bad.line}: ${bad.reason}`);
      // With a bad line nothing is even tried, so there are no figures to show.
      const counts = `${report.set} set, ${report.removed} removed, ${report.unchanged} unchanged; ${report.schoolsMoved} schools moved`;
      console.log(
        report.invalid.length > 0
          ? `nothing applied: ${report.invalid.length} bad lines`
          : `hub areas: ${counts}${report.applied ? '' : ' (dry run: nothing was written)'}`,
      );
    }
    exitCode = report.invalid.length > 0 ? 3 : 0;
  }
  if (importing && !values['dry-run']) await dropCachedAnswers(config);
  // maxRSS is in KiB: the import streams, so this stays flat as the file grows (docs/benchmarks.md).
  say(
    `done in ${((performance.now() - started) / 1000).toFixed(1)} s; peak memory ${Math.round(process.resourceUsage().maxRSS / 1024)} MiB`,
  );
} catch (error) {
  if (!(error instanceof RegisterFileError) && (error as NodeJS.ErrnoException)?.code !== 'ENOENT')
    throw error;
  console.error((error as Error).message);
  exitCode = 1;
} finally {
  await db.close();
}
process.exit(exitCode);
