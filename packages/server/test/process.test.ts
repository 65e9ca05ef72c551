// The server as a process: the data-directory lock and graceful shutdown (embedded database).
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DataDirLockedError, openEmbedded } from '../src/db.ts';
import { testDbKind } from './helpers/fixtures.ts';

const root = resolve(import.meta.dirname, '../../..');
const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
});

function startServer(dataDir: string, port = 0) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'packages/server/src/main.ts'], {
    cwd: root,
    env: {
      ...process.env,
      DATA_DIR: dataDir,
      PORT: String(port),
      SEED_ON_START: 'false',
      LOG_LEVEL: 'info',
      DATABASE_URL: '',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
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

describe.runIf(testDbKind() === 'embedded')('the server process (embedded)', () => {
  it('refuses a second process on the same DATA_DIR with a message that says why', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'mh-lock-'));
    const first = startServer(dataDir);
    const url = await first.ready;
    expect((await fetch(`${url}/readyz`)).status).toBe(200);

    const second = startServer(dataDir);
    expect(await second.exited).toBe(75);
    expect(second.output().stderr).toMatch(/already in use by another process/);
    expect(second.output().stderr).toContain(dataDir);
    // The first server is unharmed.
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
  });

  it('stops on SIGTERM: finishes, closes the database and releases the lock', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'mh-stop-'));
    const server = startServer(dataDir);
    const url = await server.ready;
    const inFlight = fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ regions { code } }' }),
    });
    await new Promise((r) => setTimeout(r, 20));
    server.child.kill('SIGTERM');
    expect((await inFlight).status).toBe(200);
    expect(await server.exited).toBe(0);
    expect(server.output().stdout).toMatch(/"msg":"stopped"/);
    const reopened = await openEmbedded(dataDir);
    await reopened.close();
  });

  it('takes the lock in-process too', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'mh-lock2-'));
    const db = await openEmbedded(dataDir);
    try {
      await expect(openEmbedded(dataDir)).rejects.toBeInstanceOf(DataDirLockedError);
    } finally {
      await db.close();
    }
  });
});
