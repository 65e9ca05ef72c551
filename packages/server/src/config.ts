// The process configuration: read from the environment and validated once, at start.
import { resolve } from 'node:path';
import { z } from 'zod';

const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], {
    error: 'must be one of true, false, 1, 0, yes, no',
  })
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

const integer = (min: number, max: number) =>
  z.coerce
    .number({ error: `must be a whole number between ${min} and ${max}` })
    .int({ error: `must be a whole number between ${min} and ${max}` })
    .min(min, { error: `must be at least ${min}` })
    .max(max, { error: `must be at most ${max}` });

const environment = z.object({
  PORT: integer(0, 65535).default(4000),
  HOST: z.string().min(1).optional(),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\/.+/, {
      error: 'must be a PostgreSQL connection URL such as postgres://user@localhost:5432/mathshubs',
    })
    .optional(),
  DATA_DIR: z.string().min(1, { error: 'must not be empty' }).default('./.data'),
  DATABASE_POOL_SIZE: integer(1, 200).default(10),
  MIGRATE_ON_START: booleanFlag.optional(),
  SEED_ON_START: booleanFlag.optional(),
  ADMIN_API_KEY: z
    .string()
    .min(32, { error: 'must be at least 32 characters; generate one with `openssl rand -hex 32`' })
    .optional(),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
      error: 'must be one of fatal, error, warn, info, debug, trace, silent',
    })
    .default('info'),
  SHUTDOWN_TIMEOUT_MS: integer(0, 600_000).default(10_000),
  STATS_SUPPRESSION_THRESHOLD: integer(0, 100).default(4),
});

export interface Config {
  port: number;
  host: string | undefined;
  database: { kind: 'embedded'; dataDir: string } | { kind: 'postgres'; url: string; poolSize: number };
  /** Apply pending migrations at start (always on for the embedded database). */
  migrateOnStart: boolean;
  /** Load the reference and demo data at start when the database is empty. */
  seedOnStart: boolean;
  adminApiKey: string | undefined;
  logLevel: z.infer<typeof environment>['LOG_LEVEL'];
  shutdownTimeoutMs: number;
  /** Statistics withhold counts from 1 to this for everyone below national admin. */
  suppressionThreshold: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Reads and validates the configuration; throws a ConfigError that lists every problem. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // Treat empty variables as unset, as shells and .env files often leave them so.
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const parsed = environment.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const name = String(issue.path[0]);
        const given = env[name];
        return `${name} ${issue.message}${given === undefined ? '' : ` (got ${JSON.stringify(given)})`}`;
      }),
    );
  }
  const e = parsed.data;
  const embedded = e.DATABASE_URL === undefined;
  return {
    port: e.PORT,
    host: e.HOST,
    database: embedded
      ? { kind: 'embedded', dataDir: resolve(e.DATA_DIR) }
      : { kind: 'postgres', url: e.DATABASE_URL as string, poolSize: e.DATABASE_POOL_SIZE },
    migrateOnStart: embedded ? true : (e.MIGRATE_ON_START ?? false),
    seedOnStart: e.SEED_ON_START ?? embedded,
    adminApiKey: e.ADMIN_API_KEY,
    logLevel: e.LOG_LEVEL,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    suppressionThreshold: e.STATS_SUPPRESSION_THRESHOLD,
  };
}
