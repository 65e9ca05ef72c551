// The package as it is published: a copy of the SDK's files as a clean clone has them (no dist/)
// packs on its own, since `prepack` builds it, and the tarball installs with plain npm into an
// empty project and works from ESM and CommonJS.
import { execFile, execFileSync } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readdir, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveOnLocalPort, type TestApi, testApi } from '../../server/test/helpers/api.ts';
import { testDbKind } from '../../server/test/helpers/fixtures.ts';

const sdk = join(import.meta.dirname, '..');
let api: TestApi;
let closeServer: (() => Promise<void>) | undefined;
let url: string;
let project: string;
let packed: string[];

beforeAll(async () => {
  api = await testApi();
  ({ url, close: closeServer } = await serveOnLocalPort(api.app));
  // The files git knows (tracked, or new and not ignored): never dist/ or another build's output.
  const copy = await mkdtemp(join(tmpdir(), 'mh-sdk-copy-'));
  const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '.'], {
    cwd: sdk,
    encoding: 'utf8',
  })
    .split('\n')
    .filter(Boolean);
  for (const file of files) {
    await mkdir(dirname(join(copy, file)), { recursive: true });
    await copyFile(join(sdk, file), join(copy, file)).catch(() => {}); // deleted but not yet staged
  }
  await symlink(join(sdk, 'node_modules'), join(copy, 'node_modules'));
  const out = await mkdtemp(join(tmpdir(), 'mh-sdk-pack-'));
  execFileSync('pnpm', ['pack', '--pack-destination', out], { cwd: copy, stdio: 'ignore' });
  const tarball = join(out, (await readdir(out)).find((f) => f.endsWith('.tgz'))!);
  packed = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).split('\n').filter(Boolean);
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
  it('packs its build, its manifest and its notes, built by prepack from a clean copy', () => {
    expect(packed.sort()).toEqual(
      [
        'CHANGELOG.md',
        'README.md',
        'dist/index.cjs',
        'dist/index.cjs.map',
        'dist/index.d.cts',
        'dist/index.d.ts',
        'dist/index.js',
        'dist/index.js.map',
        'package.json',
        'persisted-operations.json',
      ].map((file) => `package/${file}`),
    );
  });

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

  it('does not ship the repository’s own documents (the GraphiQL tour, the deep read)', async () => {
    const { readFile } = await import('node:fs/promises');
    const esm = await readFile(join(project, 'node_modules/@maths-hubs/sdk/dist/index.js'), 'utf8');
    expect(esm).toContain('query RecruitingCohorts');
    expect(esm).not.toMatch(/query (Deep)?Tour\b/);
  });

  it('works from ESM with the core client and one document', async () => {
    await writeFile(
      join(project, 'base.mjs'),
      `import { createBaseClient, RegionsDocument } from '@maths-hubs/sdk';
const data = await createBaseClient({ url: process.env.API_URL, persistedOperations: true }).request(RegionsDocument);
console.log(JSON.stringify({ regions: data.regions.length }));`,
    );
    expect(JSON.parse(await run('base.mjs'))).toEqual({ regions: 9 });
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
