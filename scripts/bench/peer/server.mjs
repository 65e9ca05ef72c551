// The speed peer of `pnpm bench season`: PostGraphile v5 (the amber preset, with simplified
// inflection) serving the same PostgreSQL database as the API, on Node 22. Started by
// scripts/bench/season.ts; nothing here is part of the product.
import { createServer } from 'node:http';
import { PgSimplifyInflectionPreset } from '@graphile/simplify-inflection';
import { postgraphile } from 'postgraphile';
import { makePgService } from 'postgraphile/adaptors/pg';
import { grafserv } from 'postgraphile/grafserv/node';
import { PostGraphileAmberPreset } from 'postgraphile/presets/amber';

const port = Number(process.env.PORT ?? 5678);
const pgl = postgraphile({
  extends: [PostGraphileAmberPreset, PgSimplifyInflectionPreset],
  pgServices: [
    makePgService({
      connectionString: process.env.DATABASE_URL,
      schemas: ['public', 'bench_peer'],
      poolConfig: { max: 10 },
    }),
  ],
  grafserv: { port, graphiql: false, watch: false },
  grafast: { explain: false },
});
const serv = pgl.createServ(grafserv);
const server = createServer();
serv.addTo(server);
server.listen(port, '127.0.0.1', () => console.log(`peer ready on ${port}`));
for (const signal of ['SIGTERM', 'SIGINT'])
  process.once(signal, () => {
    server.close();
    pgl.release().finally(() => process.exit(0));
  });
