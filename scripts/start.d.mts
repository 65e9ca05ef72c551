/** Bundles the server into packages/server/dist when its sources changed; true if it built. */
export function buildServer(options?: { force?: boolean }): Promise<boolean>;
