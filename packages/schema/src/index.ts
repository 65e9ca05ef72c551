// Builds the schema from the builder and every domain type file.
import { lexicographicSortSchema, printSchema } from 'graphql';
import { builder } from './builder.ts';
import { tagReads } from './cache-tags.ts';
import './types/enums.ts';
import './types/user-error.ts';
import './types/region.ts';
import './types/hub.ts';
import './types/hub-area.ts';
import './types/school.ts';
import './types/programme.ts';
import './types/cohort.ts';
import './types/cohort-updates.ts';
import './types/participant.ts';
import './types/enrolment.ts';
import './types/application.ts';
import './types/application-submission.ts';
import './types/session.ts';
import './types/viewer.ts';
import './types/api-key.ts';
import './types/stats.ts';
import './types/object-stats.ts';
import './types/progression.ts';
import './types/audit-log.ts';

export { hashApiKeySecret, newApiKeySecret } from './api-keys.ts';
export {
  type Change,
  dependsOn,
  EVERYTHING,
  invalidationTags,
  statsFilterTags,
  UNCACHEABLE,
} from './cache-tags.ts';
export type {
  Attempts,
  CohortChange,
  Context,
  LiveEvents,
  Role,
  StatsProtection,
  Viewer,
} from './context.ts';
export { ANONYMOUS } from './context.ts';
export { createLoaders, type Loaders } from './loaders.ts';
export { roundingBase } from './reporting/cell-key.ts';
export { cohortStats, DIMENSIONS, type PublicDimension } from './reporting/cohort-stats.ts';
export {
  createStandardViews,
  STANDARD_VIEWS,
  type StandardViews,
} from './reporting/standard-views.ts';
export { protectionInfo, RATE_DECIMALS, type Row as StatsRow, statsFor } from './types/stats.ts';

/** The schema, each read tagged with what it shows (cache-tags.ts). */
export const schema = tagReads(builder.toSchema());

/** The schema as SDL, sorted so that diffs of schema.graphql show only real API changes. */
export function printSchemaSorted(): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}
export {
  COSTS,
  DEFAULT_PAGE_SIZE,
  fieldCost,
  isPlainListField,
  LIST_SIZES,
  listKey,
  MAX_PAGE_SIZE,
  operationCost,
} from './cost.ts';
export { checkInputValue, checkString, INPUT_LIMITS, type InputProblem } from './rules/input-limits.ts';
