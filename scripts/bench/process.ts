// Helpers to start a server process and measure it from the outside.
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

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
