// The errors the client throws. Mutation `userErrors` are data and are never thrown.

/** One error from the `errors` list of a GraphQL response. */
export interface GraphQLErrorEntry {
  message: string;
  path?: (string | number)[];
  locations?: { line: number; column: number }[];
  extensions?: { code?: string; [key: string]: unknown };
}

/** Base class: catch this to catch everything the client throws. */
export class MathsHubsError extends Error {
  override name = 'MathsHubsError';
}

/**
 * The server answered with GraphQL errors. `data` keeps whatever was resolved (partial data),
 * `errors` the server's list, `status` the HTTP status (401 for a missing, unknown or revoked key).
 */
export class GraphQLRequestError<TData = unknown> extends MathsHubsError {
  override name = 'GraphQLRequestError';
  constructor(
    readonly errors: GraphQLErrorEntry[],
    readonly data: TData | null,
    readonly status: number,
  ) {
    super(errors.map((e) => e.message).join('\n') || `GraphQL request failed with HTTP ${status}`);
  }
  /** The `extensions.code` of the first error, e.g. UNAUTHENTICATED, FORBIDDEN, BAD_USER_INPUT. */
  get code(): string | undefined {
    return this.errors[0]?.extensions?.code;
  }
}

/** The server answered with something that is not a GraphQL response (e.g. a proxy's 502 page). */
export class HttpError extends MathsHubsError {
  override name = 'HttpError';
  constructor(
    readonly status: number,
    readonly body: string,
  ) {
    super(`HTTP ${status} from the Maths Hubs API${body ? `: ${body.slice(0, 200)}` : ''}`);
  }
}

/** The request never got an answer: DNS, connection refused, TLS, offline. `cause` says which. */
export class NetworkError extends MathsHubsError {
  override name = 'NetworkError';
  constructor(cause: unknown) {
    super(`Could not reach the Maths Hubs API: ${(cause as Error)?.message ?? String(cause)}`, { cause });
  }
}
