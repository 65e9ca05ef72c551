// GET /embed/maths-hubs.js: one ES module a hub website loads with a script tag. It defines the
// widgets below; the page needs no framework and no build step.
import { MathsHubApply } from './apply.ts';
import { MathsHubCohorts } from './cohorts.ts';

for (const [name, element] of [
  ['maths-hub-cohorts', MathsHubCohorts],
  ['maths-hub-apply', MathsHubApply],
] as const) {
  // Loading the script twice (two CMS blocks, say) must not throw.
  if (!customElements.get(name)) customElements.define(name, element);
}

export { MathsHubApply, MathsHubCohorts };
