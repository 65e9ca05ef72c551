// Start and graceful stop. `pnpm start` runs this file.

import cluster from 'node:cluster';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Context } from '@maths-hubs/schema';
import type { Plugin } from 'graphql-yoga';
import { register } from 'prom-client';
import { runPrimary } from './cluster.ts';
import { type Config, ConfigError, loadConfig } from './config.ts';
import {
  type Database,
  DataDirLockedError,
  type EmbeddedDatabase,
  isNewDataDir,
  openDatabase,
} from './db.ts';
import { createLiveHub } from './live-events.ts';
import { createLogger, type Logger } from './logger.ts';
import { createApp, nodeHandler } from './server.ts';
import { createSharedState } from './shared-state.ts';
import { readSnapshot, writeSnapshot } from './snapshot.ts';
import { startTracing } from './tracing.ts';

export interface RunningServer {
  url: string;
  db: Database;
  server: Server;
  stop(): Promise<void>;
}

/** Opens the database, prepares it as configured, and serves the API. */
export async function startServer(
  config: Config,
  logger: Logger,
  tracing: Plugin<Context> | null = null,
): Promise<RunningServer> {
  // A first start on an empty data directory copies today's seeded snapshot, if there is one.
  const snapshot =
    config.database.kind === 'embedded' && config.seedOnStart && (await isNewDataDir(config.database.dataDir))
      ? await readSnapshot()
      : null;
  const db = await openDatabase(config.database, snapshot ?? undefined);
  try {
    logger.info(
      { database: db.kind, location: db.location, fromSnapshot: snapshot !== null },
      'database opened',
    );
    if (config.migrateOnStart) {
      const applied = await db.migrate();
      if (applied.length > 0) logger.info({ applied }, 'migrations applied');
    }
    if (config.seedOnStart && (await db.prisma.region.count()) === 0) {
      logger.info('empty database: loading the reference and demo data (first start only)');
      // Imported here: the seeds and their data are needed once, not held by every later start.
      const { seed } = await import('@maths-hubs/db/seed/index');
      const report = await seed(db, { log: (message) => logger.info(message) });
      logger.info({ report }, 'seeded');
      if (db.kind === 'embedded') {
        // Left for the next empty data directory; never fatal (a read-only cache is fine).
        const path = await writeSnapshot(await (db as EmbeddedDatabase).pglite.dumpDataDir('gzip')).catch(
          (error: unknown) => logger.warn({ err: error }, 'could not save a snapshot of the demo data'),
        );
        if (path) logger.info({ path }, 'saved a snapshot of the demo data for later first starts');
      }
    }
  } catch (error) {
    await db.close();
    throw error;
  }

  const sharedState = createSharedState(config.redisUrl, logger);
  const live = createLiveHub(sharedState, config.limits);
  const yoga = createApp({
    live,
    tracing,
    db,
    logger,
    adminApiKey: config.adminApiKey,
    suppressionThreshold: config.suppressionThreshold,
    statsProtection: config.statsProtection,
    limits: config.limits,
    sharedState,
    responseCacheTtlSeconds: config.responseCacheTtlSeconds,
    metrics: config.metrics,
  });
  const server = createServer(nodeHandler(yoga, config.limits.maxBodyBytes));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, resolve);
  });
  // Metrics on a port of their own, on loopback only: nothing a proxy forwards can reach it.
  const scrape = yoga.scrapeMetrics;
  const metricsServer =
    config.metrics?.port !== undefined && scrape
      ? await listenForMetrics(config.metrics.port, scrape, logger)
      : null;
  const { port } = server.address() as AddressInfo;
  const url = `http://${config.host && config.host !== '0.0.0.0' && config.host !== '::' ? config.host : 'localhost'}:${port}`;

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      // Stop accepting, end live streams (their clients subscribe again elsewhere), let in-flight
      // requests finish (bounded), then close the database.
      live.close();
      const drained = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const timeout = new Promise<'timeout'>((resolve) =>
        setTimeout(() => resolve('timeout'), config.shutdownTimeoutMs).unref(),
      );
      if ((await Promise.race([drained, timeout])) === 'timeout') {
        logger.warn('requests still running at the shutdown timeout: closing their connections');
        server.closeAllConnections();
      }
      metricsServer?.close();
      await sharedState.close();
      await db.close();
    })();
    return stopping;
  };
  return { url, db, server, stop };
}

/** A listener on 127.0.0.1 that answers GET /metrics and nothing else. */
async function listenForMetrics(port: number, scrape: () => Promise<string>, logger: Logger) {
  const server = createServer(async (req, res) => {
    if (req.method !== 'GET' || new URL(req.url ?? '/', 'http://localhost').pathname !== '/metrics') {
      res
        .writeHead(404, { 'content-type': 'text/plain; charset=utf-8' })
        .end('Only GET /metrics is served here.\n');
      return;
    }
    try {
      const text = await scrape();
      res.writeHead(200, { 'content-type': register.contentType, 'cache-control': 'no-store' }).end(text);
    } catch (error) {
      logger.warn({ err: error }, 'metrics: a scrape failed');
      res
        .writeHead(503, { 'content-type': 'text/plain; charset=utf-8' })
        .end('Metrics are unavailable just now.\n');
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  logger.info({ port }, `metrics at http://127.0.0.1:${port}/metrics (this machine only)`);
  return server;
}

/** The process: configuration, server, signals. */
export async function main() {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
  const logger = createLogger(config.logLevel);
  for (const notice of config.notices) logger.warn(notice);
  if (config.workers > 1 && cluster.isPrimary) process.exit(await runPrimary(config.workers, logger));
  // Spans only when OTEL_EXPORTER_OTLP_ENDPOINT is set; otherwise the SDK is not even loaded.
  const tracing = await startTracing({ trustIncomingTraceContext: config.limits.trustProxy.kind !== 'none' });
  let running: RunningServer;
  try {
    running = await startServer(config, logger, tracing?.plugin ?? null);
  } catch (error) {
    if (error instanceof DataDirLockedError) {
      logger.fatal(error.message);
      console.error(error.message);
      process.exit(75); // EX_TEMPFAIL
    }
    logger.fatal({ err: error }, 'could not start');
    process.exit(1);
  }
  logger.info({ url: `${running.url}/graphql` }, `Maths Hubs API ready: GraphiQL at ${running.url}/graphql`);

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, async () => {
      logger.info({ signal }, 'shutting down');
      await running.stop();
      await tracing?.shutdown(); // sends the spans of the drained requests
      logger.info('stopped');
      process.exit(0);
    });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
