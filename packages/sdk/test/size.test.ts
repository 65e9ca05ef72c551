// The size budget: a hub site listing its recruiting cohorts ships under 5 kB of SDK, gzipped.
import { describe, expect, it } from 'vitest';
import { testDbKind } from '../../server/test/helpers/fixtures.ts';
import { measureBundles } from '../scripts/size.ts';

describe.runIf(testDbKind() === 'embedded')('bundle size', () => {
  it('stays under 5 kB minified and gzipped for the recruiting-cohorts page', async () => {
    const { withSdk } = await measureBundles();
    expect(withSdk.gzipped).toBeLessThan(5 * 1024);
  });
});
