// Several instances on one machine (WEB_CONCURRENCY > 1; PostgreSQL only, since the embedded
// database belongs to one process): Node's cluster module forks workers that share the listening
// port. The primary starts a new worker when one dies, forwards SIGTERM so that each drains,
// replaces workers one at a time on SIGHUP (a rolling restart), and adds up /metrics across the
// workers for whichever worker is scraped.
import cluster, { type Worker } from 'node:cluster';
import { AggregatorRegistry } from 'prom-client';
import type { Logger } from './logger.ts';

const METRICS_REQUEST = 'mathshubs:metrics-request';
const METRICS_RESPONSE = 'mathshubs:metrics-response';

interface MetricsMessage {
  type: string;
  id: number;
  text?: string;
  error?: string;
}

/** The primary: forks `count` workers and looks after them until SIGTERM/SIGINT. */
export function runPrimary(count: number, logger: Logger): Promise<number> {
  const aggregator = new AggregatorRegistry();
  let stopping = false;
  const listening = (worker: Worker) =>
    new Promise<void>((resolve, reject) => {
      worker.once('listening', () => resolve());
      worker.once('exit', (code) => reject(new Error(`worker ${worker.process.pid} exited with ${code}`)));
    });
  const fork = () => {
    const worker = cluster.fork();
    worker.on('message', async (message: MetricsMessage) => {
      if (message?.type !== METRICS_REQUEST) return;
      try {
        worker.send({ type: METRICS_RESPONSE, id: message.id, text: await aggregator.clusterMetrics() });
      } catch (error) {
        worker.send({ type: METRICS_RESPONSE, id: message.id, error: (error as Error).message });
      }
    });
    return worker;
  };
  cluster.on('exit', (worker, code, signal) => {
    if (stopping || worker.exitedAfterDisconnect) return;
    logger.warn({ pid: worker.process.pid, code, signal }, 'worker died: starting another');
    fork();
  });
  for (let i = 0; i < count; i++) fork();
  logger.info({ workers: count }, `cluster of ${count} workers`);

  // SIGHUP: replace the workers one by one, each after its successor listens, so that the
  // port is always served (new code, new settings).
  process.on('SIGHUP', async () => {
    for (const old of Object.values(cluster.workers ?? {})) {
      if (!old || stopping) continue;
      try {
        await listening(fork());
      } catch (error) {
        logger.error({ err: error }, 'rolling restart stopped: a new worker did not start');
        return;
      }
      old.disconnect(); // stop new connections to it; the worker drains on SIGTERM
      old.process.kill('SIGTERM');
    }
    logger.info('rolling restart done');
  });

  return new Promise((resolve) => {
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      process.once(signal, () => {
        stopping = true;
        logger.info({ signal }, 'stopping the cluster');
        const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => !!w);
        let left = workers.length;
        if (left === 0) resolve(0);
        for (const worker of workers) {
          worker.once('exit', () => {
            if (--left === 0) resolve(0);
          });
          worker.process.kill('SIGTERM');
        }
      });
    }
  });
}

let requests = 0;
const pending = new Map<number, (message: MetricsMessage) => void>();

/** In a worker: the metrics of every worker added up, from the primary. */
export function clusterMetrics(timeoutMs = 5_000): Promise<string> {
  if (pending.size === 0) process.on('message', onMessage);
  const id = requests++;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      pending.delete(id);
      reject(new Error('the cluster primary did not send metrics in time'));
    }, timeoutMs);
    pending.set(id, (message) => {
      clearTimeout(timer);
      if (message.error) reject(new Error(message.error));
      else resolve(message.text ?? '');
    });
    process.send?.({ type: METRICS_REQUEST, id });
  });
}

function onMessage(message: MetricsMessage) {
  if (message?.type !== METRICS_RESPONSE) return;
  const done = pending.get(message.id);
  pending.delete(message.id);
  if (pending.size === 0) process.off('message', onMessage);
  done?.(message);
}
