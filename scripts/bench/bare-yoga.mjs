// The floor of `pnpm bench peer`: graphql-yoga with no plugins and a one-field schema, from the
// server's own node_modules (the same Yoga, graphql and Node as ours), over Node's http. What a
// request costs before any of our plugins or resolvers run. Nothing here is part of the product.
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';

const require = createRequire(resolve(import.meta.dirname, '../../packages/server/package.json'));
const { createSchema, createYoga } = require('graphql-yoga');

const yoga = createYoga({
  schema: createSchema({ typeDefs: 'type Query { ok: Boolean }', resolvers: { Query: { ok: () => true } } }),
  graphiql: false,
  landingPage: false,
  logging: false,
});
const port = Number(process.env.PORT ?? 5679);
const server = createServer(yoga);
server.listen(port, '127.0.0.1', () => console.log(`bare yoga ready on ${port}`));
for (const signal of ['SIGTERM', 'SIGINT']) process.once(signal, () => server.close(() => process.exit(0)));
