// The packed tarball installs with plain npm into an empty project and works from ESM and CommonJS.
import { execFile, execFileSync } from 'node:child_process';
import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveOnLocalPort, type TestApi, testApi } from '../../server/test/helpers/api.ts';
import { testDbKind } from '../../server/test/helpers/fixtures.ts';

const sdk = join(import.meta.dirname, '..');
let api: TestApi;
let closeServer: (() => Promise<void>) | undefined;
let url: string;
let project: string;

beforeAll(async () => {
  api = await testApi();
  ({ url, close: closeServer } = await serveOnLocalPort(api.app));
  const out = await mkdtemp(join(tmpdir(), 'mh-sdk-pack-'));
  execFileSync('pnpm', ['run', 'build'], { cwd: sdk, stdio: 'ignore' });
  execFileSync('pnpm', ['pack', '--pack-destination', out], { cwd: sdk, stdio: 'ignore' });
  const tarball = join(out, (await readdir(out)).find((f) => f.endsWith('.tgz'))!);
  project = await mkdtemp(join(tmpdir(), 'mh-sdk-consumer-'));
  await writeFile(join(project, 'package.json'), '{ "name": "consumer", "private": true }');
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--offline', tarball], {
    cwd: project,
    stdio: 'ignore',
  });
}, 180_000);
afterAll(async () => {
  await closeServer?.();
  await api?.close();
});

// Asynchronously: the server answering these requests runs in this very process.
const run = async (file: string) =>
  (
    await promisify(execFile)(process.execPath, [file], {
      cwd: project,
      encoding: 'utf8',
      env: { ...process.env, API_URL: url },
    })
  ).stdout;

describe.runIf(testDbKind() === 'embedded')('the packed SDK', () => {
  it('has no dependencies and ships only its build', async () => {
    const manifest = JSON.parse(
      execFileSync('npm', ['pkg', 'get', 'dependencies', '--json'], {
        cwd: join(project, 'node_modules/@maths-hubs/sdk'),
        encoding: 'utf8',
      }),
    );
    expect(manifest).toEqual({});
    const files = await readdir(join(project, 'node_modules/@maths-hubs/sdk/dist'));
    expect(files).toEqual(expect.arrayContaining(['index.js', 'index.cjs', 'index.d.ts', 'index.d.cts']));
  });

  it('works from ESM', async () => {
    await writeFile(
      join(project, 'esm.mjs'),
      `import { createClient } from '@maths-hubs/sdk';
const client = createClient({ url: process.env.API_URL });
const data = await client.recruitingCohorts({ hubCode: 'WM1' });
console.log(JSON.stringify({ total: data.cohorts.totalCount > 0, hubs: [...new Set(data.cohorts.nodes.map((c) => c.hub.code))] }));`,
    );
    expect(JSON.parse(await run('esm.mjs'))).toEqual({ total: true, hubs: ['WM1'] });
  });

  it('works from CommonJS', async () => {
    await writeFile(
      join(project, 'cjs.cjs'),
      `const { createClient, GraphQLRequestError } = require('@maths-hubs/sdk');
createClient({ url: process.env.API_URL }).regions().then((data) => {
  console.log(JSON.stringify({ regions: data.regions.length, errorClass: typeof GraphQLRequestError }));
});`,
    );
    expect(JSON.parse(await run('cjs.cjs'))).toEqual({ regions: 9, errorClass: 'function' });
  });
});
