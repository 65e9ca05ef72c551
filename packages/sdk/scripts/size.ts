// The size of what a hub site ships: a browser bundle that lists a hub's recruiting cohorts with
// the SDK, minified and gzipped; beside it, the same page calling fetch by hand (the floor).

import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

// From source: esbuild compiles it as tsup does, and the measure does not depend on a prior build.
const sdkEntry = join(import.meta.dirname, '../src/index.ts');

const WITH_SDK = `
import { createClient } from '@maths-hubs/sdk';
const client = createClient({ url: '/graphql' });
const { cohorts } = await client.recruitingCohorts({ hubCode: 'WM1' });
document.body.textContent = cohorts.nodes.map((c) => c.name).join('\\n');
`;

// The smallest page: the core client and the one document it sends.
const WITH_BASE_CLIENT = `
import { createBaseClient, RecruitingCohortsDocument } from '@maths-hubs/sdk';
const { cohorts } = await createBaseClient({ url: '/graphql' }).request(RecruitingCohortsDocument, { hubCode: 'WM1' });
document.body.textContent = cohorts.nodes.map((c) => c.name).join('\\n');
`;

const BY_HAND = `
const query = 'query($hubCode: String) { cohorts(filter: { recruiting: true, hubCode: $hubCode }, orderBy: APPLICATION_DEADLINE) { totalCount nodes { code name applicationDeadline placesRemaining } } }';
const response = await fetch('/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables: { hubCode: 'WM1' } }) });
const { data } = await response.json();
document.body.textContent = data.cohorts.nodes.map((c) => c.name).join('\\n');
`;

async function measure(contents: string) {
  const result = await build({
    stdin: { contents, loader: 'js', resolveDir: import.meta.dirname },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    alias: { '@maths-hubs/sdk': sdkEntry },
  });
  const code = result.outputFiles[0]!.contents;
  return { minified: code.byteLength, gzipped: gzipSync(code, { level: 9 }).byteLength };
}

export async function measureBundles() {
  return {
    withSdk: await measure(WITH_SDK),
    withBaseClient: await measure(WITH_BASE_CLIENT),
    byHand: await measure(BY_HAND),
  };
}
