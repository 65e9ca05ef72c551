// The size budgets of what a hub site ships (esbuild, minified, gzip -9): the smallest page, the
// core client with the one document it sends, under 2,000 bytes; the same page with the
// all-methods client under 5 kB.
import { describe, expect, it } from 'vitest';
import { testDbKind } from '../../server/test/helpers/fixtures.ts';
import { measureBundles } from '../scripts/size.ts';

describe.runIf(testDbKind() === 'embedded')('bundle size', () => {
  it('stays within budget for the recruiting-cohorts page', async () => {
    const { withBaseClient, withSdk } = await measureBundles();
    expect(withBaseClient.gzipped).toBeLessThanOrEqual(2000);
    expect(withSdk.gzipped).toBeLessThan(5 * 1024);
  });
});
