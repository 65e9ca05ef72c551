// Builds the schema from the builder and every domain type file.
import { lexicographicSortSchema, printSchema } from 'graphql';
import { builder } from './builder.ts';
import './types/region.ts';
import './types/hub.ts';
import './types/programme.ts';
import './types/cohort.ts';

export type { Context } from './context.ts';

export const schema = builder.toSchema();

/** The schema as SDL, sorted so that diffs of schema.graphql show only real API changes. */
export function printSchemaSorted(): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}
