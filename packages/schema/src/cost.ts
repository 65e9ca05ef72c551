// What each field costs, for the limits that refuse an operation before it runs and for the rate
// budgets that charge it. The Pothos complexity plugin walks the operation and calls
// `fieldCost` for every field it selects: a field's cost is `field + multiplier × (its selection)`.
//
// The model, in the spirit of GitHub's node limit and Shopify's calculated cost:
//   - scalars and enums are free: what costs is rows, not columns;
//   - an object is 1 (a row, usually batched);
//   - a connection costs 1 plus one per item it may return (`first`, default 20, capped at 100),
//     plus `first` times its selection, so `hubs(first: 100) { nodes { cohorts(first: 100) { … } } }`
//     costs the ten thousand cohorts it may return;
//   - a plain list likewise, with the most items it can hold (below) in place of `first`;
//   - a COUNT, a search, a statistics query or a write costs what it makes the database do.
// Every list field of the schema must appear in LIST_SIZES: a test fails on a new one until it
// is costed here.
import { createComplexityRule, type FieldComplexityValue } from '@pothos/plugin-complexity';
import {
  type DocumentNode,
  type GraphQLField,
  type GraphQLSchema,
  getNamedType,
  isLeafType,
  isListType,
  isNonNullType,
  validate,
} from 'graphql';

/** Page size of a connection when `first`/`last` is not given, and the most it may be. */
export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

/** Fixed weights of the things that cost more than a row. */
export const COSTS = {
  object: 1,
  /** One COUNT statement (a connection's `totalCount`). */
  count: 2,
  /** A trigram name search on top of a connection's own cost. */
  search: 10,
  /** One GROUPING SETS statement over every enrolment in scope, per grouped dimension. */
  statsBase: 50,
  statsPerDimension: 25,
  /** One object's statistics (`Hub.stats`, …) or a progression between two programmes. */
  statsSingle: 25,
  progression: 50,
  /** Any mutation: a transaction, row locks, an audit row. */
  mutation: 10,
} as const;

/**
 * The most items each plain list (not a connection) can hold, keyed "field:ItemType". These are
 * bounded by the domain (9 regions, at most a dozen hubs a region, two advocates a form, …).
 */
export const LIST_SIZES: Record<string, number> = {
  'regions:Region': 9,
  'hubs:Hub': 12,
  'leadOrganisations:HubLeadOrganisation': 10,
  'predecessors:HubPredecessor': 5,
  'advocates:ApplicationAdvocate': 4,
  'eligibility:EligibilityRule': 10,
  'funding:FundingLine': 10,
  'leadsTo:Programme': 5,
  'prerequisites:Programme': 5,
  'progression:ProgrammeLink': 10,
  'years:ProgrammeYear': 10,
  'sessions:Session': 20,
  'attendance:Attendance': 60,
  'userErrors:UserError': 10,
  /** A school's URN changes: a conversion has one; amalgamations and splits a few. */
  'predecessors:School': 10,
  'successors:School': 10,
  /** England has 153 local authorities; a hub serves a handful. */
  'localAuthorities:HubArea': 20,
  'hubAreas:HubArea': 160,
  /** cohortStats rows: a grouping can have hundreds; each row is a few scalars and keys. */
  'rows:CohortStatsRow': 100,
};

/** A connection's items, already multiplied by the connection's `first`. */
const CONNECTION_ITEMS = new Set(['edges', 'nodes']);

function pageSize(args: Record<string, unknown>): number {
  const asked = (args.first ?? args.last) as unknown;
  if (typeof asked !== 'number' || !Number.isFinite(asked)) return DEFAULT_PAGE_SIZE;
  return Math.min(Math.max(Math.trunc(asked), 0), MAX_PAGE_SIZE);
}

const hasSearch = (args: Record<string, unknown>) => {
  const filter = args.filter as { search?: unknown } | null | undefined;
  return typeof filter?.search === 'string' && filter.search.trim() !== '';
};

/** The key a list field is looked up by in LIST_SIZES. */
export const listKey = <C>(field: GraphQLField<unknown, C>) =>
  `${field.name}:${getNamedType(field.type).name}`;

export function isConnectionField<C>(field: GraphQLField<unknown, C>): boolean {
  return getNamedType(field.type).name.endsWith('Connection');
}

/** Item lists that are not connections (and not `Query.nodes` or a connection's items). */
export function isPlainListField<C>(field: GraphQLField<unknown, C>): boolean {
  const type = isNonNullType(field.type) ? field.type.ofType : field.type;
  if (!isListType(type) || isLeafType(getNamedType(field.type))) return false;
  if (CONNECTION_ITEMS.has(field.name) && getNamedType(field.type).name !== 'Node') return false;
  return !(field.name === 'nodes' && 'ids' in Object.fromEntries(field.args.map((a) => [a.name, a])));
}

export function fieldCost<C>(
  args: Record<string, unknown>,
  _ctx: C,
  field: GraphQLField<unknown, C>,
): FieldComplexityValue {
  const named = getNamedType(field.type);
  if (field.name === 'cohortStats') {
    const dimensions = Array.isArray(args.groupBy) ? args.groupBy.length : 1;
    return { field: COSTS.statsBase + COSTS.statsPerDimension * dimensions, multiplier: 1 };
  }
  if (field.name === 'progression' && named.name === 'Progression') return COSTS.progression;
  if (field.name === 'stats' && named.name === 'CohortStatsRow') return COSTS.statsSingle;
  if (field.name === 'totalCount') return COSTS.count;
  // Every mutation returns a payload: a write costs what a write costs, whatever it selects.
  if (named.name.endsWith('Payload')) return COSTS.mutation;
  if (isConnectionField(field)) {
    const items = pageSize(args);
    return { field: COSTS.object + items + (hasSearch(args) ? COSTS.search : 0), multiplier: items };
  }
  if (field.name === 'nodes' && Array.isArray(args.ids)) {
    return { field: COSTS.object + args.ids.length, multiplier: args.ids.length };
  }
  if (isPlainListField(field)) {
    const items = LIST_SIZES[listKey(field)] ?? MAX_PAGE_SIZE;
    return { field: COSTS.object + items, multiplier: items };
  }
  // A connection's edges or nodes: the connection has multiplied already.
  if (
    CONNECTION_ITEMS.has(field.name) &&
    isListType(isNonNullType(field.type) ? field.type.ofType : field.type)
  )
    return { field: 0, multiplier: 1 };
  if (isLeafType(named)) return 0;
  return COSTS.object;
}

/**
 * The cost of one operation of a document with these variables: the Pothos complexity plugin's
 * rule, run on its own (it depends on the variables, so it cannot sit in a cached validation).
 * Null when the variables are invalid (execution reports them).
 */
export function operationCost(args: {
  schema: GraphQLSchema;
  document: DocumentNode;
  variableValues?: Record<string, unknown> | null | undefined;
  operationName?: string | null | undefined;
  contextValue: unknown;
}): number | null {
  let cost: number | null = null;
  const rule = createComplexityRule({
    context: args.contextValue as object,
    variableValues: args.variableValues ?? {},
    operationName: args.operationName ?? null,
    validate: () => {},
    onResult: (result) => {
      cost = result.complexity;
    },
  });
  validate(args.schema, args.document, [rule]);
  return cost;
}
