// Helpers to start a server process and measure it from the outside.
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export interface Started {
  child: ChildProcess;
  url: string;
  /** Milliseconds from spawn to the first successful answer. */
  msToFirstAnswer: number;
}

/** Spawns `args` and polls `probe` until it answers 200; resolves with the time taken. */
export async function startAndTime(
  args: string[],
  env: NodeJS.ProcessEnv,
  port: number,
  probe: { path: string; body?: string },
): Promise<Started> {
  const started = performance.now();
  const child = spawn(process.execPath, args, {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`process exited with ${child.exitCode}`);
    try {
      const response = await fetch(
        `${url}${probe.path}`,
        probe.body
          ? { method: 'POST', headers: { 'content-type': 'application/json' }, body: probe.body }
          : undefined,
      );
      if (response.ok) {
        await response.arrayBuffer();
        return { child, url, msToFirstAnswer: performance.now() - started };
      }
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Resident memory of a process, in MiB (Linux). */
export function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]);
  return kb / 1024;
}

export async function stop(child: ChildProcess) {
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export const ADMIN_KEY = 'bench-admin-key-0123456789abcdef0123456789abcdef';
const root = resolve(import.meta.dirname, '../..');

/**
 * The server as `pnpm start` runs it (bundled JavaScript) on PostgreSQL, rate limits off (a bench
 * is one client sending far more than any budget allows); `env` adds or overrides settings.
 */
export function serveBundled(url: string, port: number, env: Record<string, string> = {}) {
  return startAndTime(
    [join(root, 'scripts/start.mjs')],
    {
      DATABASE_URL: url,
      PORT: String(port),
      LOG_LEVEL: 'warn',
      ADMIN_API_KEY: ADMIN_KEY,
      DATABASE_POOL_SIZE: '10',
      RATE_LIMIT: 'off',
      ...env,
    },
    port,
    { path: '/readyz' },
  );
}
