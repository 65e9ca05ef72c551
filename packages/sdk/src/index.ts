// @maths-hubs/sdk — the typed client for the Maths Hubs API.
import {
  type AllOptional,
  type BaseClient,
  type ClientOptions,
  createBaseClient,
  type Document,
  type RequestOptions,
  type ResultOf,
  type VariablesOf,
} from './client.ts';
import {
  CohortDocument,
  CohortStatsDocument,
  CohortUpdatedDocument,
  HubPageDocument,
  HubsDocument,
  ProgrammePageDocument,
  ProgrammesDocument,
  ProgressionDocument,
  RecruitingCohortsDocument,
  RegionsDocument,
  SchoolSearchDocument,
  SubmitApplicationDocument,
  ViewerDocument,
} from './generated/graphql.ts';
import { subscribe } from './subscribe.ts';

/** The operations shipped as methods: `client.<name>(variables)`. */
const operations = {
  regions: RegionsDocument,
  hubs: HubsDocument,
  hubPage: HubPageDocument,
  programmes: ProgrammesDocument,
  programmePage: ProgrammePageDocument,
  recruitingCohorts: RecruitingCohortsDocument,
  cohort: CohortDocument,
  schoolSearch: SchoolSearchDocument,
  viewer: ViewerDocument,
  cohortStats: CohortStatsDocument,
  progression: ProgressionDocument,
  submitApplication: SubmitApplicationDocument,
};

type Operations = typeof operations;
type Method<D> =
  AllOptional extends VariablesOf<D>
    ? (variables?: VariablesOf<D>, options?: RequestOptions) => Promise<ResultOf<D>>
    : (variables: VariablesOf<D>, options?: RequestOptions) => Promise<ResultOf<D>>;

export type MathsHubsClient = BaseClient & {
  [K in keyof Operations]: Method<Operations[K]>;
} & {
  /** Runs any subscription document: see `subscribe`. */
  subscribe<D extends Document>(
    document: D,
    variables: VariablesOf<D>,
    options?: RequestOptions,
  ): AsyncGenerator<ResultOf<D>, void, undefined>;
  /** Live places: yields the cohort after each committed change (give `code` or `hubCode`). */
  cohortUpdated(
    variables: VariablesOf<typeof CohortUpdatedDocument>,
    options?: RequestOptions,
  ): AsyncGenerator<ResultOf<typeof CohortUpdatedDocument>, void, undefined>;
};

/** Creates a client. See the README for examples. */
export function createClient(options: ClientOptions): MathsHubsClient {
  const base = createBaseClient(options);
  const methods = Object.fromEntries(
    Object.entries(operations).map(([name, document]) => [
      name,
      (variables?: Record<string, unknown>, requestOptions?: RequestOptions) =>
        (base.request as (d: unknown, v: unknown, o?: RequestOptions) => Promise<unknown>)(
          document,
          variables,
          requestOptions,
        ),
    ]),
  );
  const subscribeTo: MathsHubsClient['subscribe'] = (document, variables, requestOptions) =>
    subscribe(base, document, variables, requestOptions);
  const cohortUpdated: MathsHubsClient['cohortUpdated'] = (variables, requestOptions) =>
    subscribe(base, CohortUpdatedDocument, variables, requestOptions);
  return { ...base, ...methods, subscribe: subscribeTo, cohortUpdated } as MathsHubsClient;
}

export {
  type BaseClient,
  type ClientOptions,
  createBaseClient,
  type Document,
  type RequestOptions,
  type ResultOf,
  type VariablesOf,
} from './client.ts';
export {
  type GraphQLErrorEntry,
  GraphQLRequestError,
  HttpError,
  MathsHubsError,
  NetworkError,
} from './errors.ts';
export * from './generated/graphql.ts';
export { subscribe } from './subscribe.ts';
