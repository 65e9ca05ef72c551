// The server as `pnpm start` runs it (the bundle the global setup built), as a child process of
// the test, with its own environment; killed when the test is done.
import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../../../..');

export interface ServerProcess {
  child: ChildProcess;
  /** The server's base URL once it listens (e.g. http://localhost:41234). */
  ready: Promise<string>;
  exited: Promise<number | null>;
  output(): { stdout: string; stderr: string };
}

export function startServerProcess(env: Record<string, string>): ServerProcess {
  const child = spawn(process.execPath, ['scripts/start.mjs'], {
    cwd: root,
    env: { ...process.env, PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const ready = new Promise<string>((resolveReady, reject) => {
    child.stdout!.on('data', () => {
      const match = /GraphiQL at (http:\/\/\S+)\/graphql/.exec(stdout);
      if (match) resolveReady(match[1]!);
    });
    exited.then((code) => reject(new Error(`server exited with ${code}: ${stderr}`)));
  });
  ready.catch(() => {}); // a server expected to fail is awaited through `exited` instead
  return { child, ready, exited, output: () => ({ stdout, stderr }) };
}
