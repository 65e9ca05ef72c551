// Builds today's seeded snapshot of the embedded database (run by `pnpm install`), so that the
// first `pnpm start` on an empty data directory copies it instead of seeding.
import { buildSnapshot, readSnapshot } from '../packages/server/src/snapshot.ts';

const started = performance.now();
if (await readSnapshot()) {
  console.log('the demo data snapshot for today is already built');
} else {
  const path = await buildSnapshot();
  console.log(
    `built the demo data snapshot in ${((performance.now() - started) / 1000).toFixed(1)} s: ${path}`,
  );
}
