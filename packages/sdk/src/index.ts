// @maths-hubs/sdk — the typed client for the Maths Hubs API.
// The client and its generated operations arrive with the SDK issue; for now the package
// exports the API's endpoint path so that it builds and can be depended on.

/** The path of the GraphQL endpoint on a Maths Hubs API server. */
export const GRAPHQL_PATH = '/graphql';
