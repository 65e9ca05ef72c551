// Test projects:
//   unit      pure functions, run once
//   embedded  database-backed tests on PGlite (always)
//   postgres  the same tests on a real PostgreSQL server, when TEST_DATABASE_URL is set
//             (e.g. postgres://postgres@127.0.0.1:5432/postgres; CI always sets it)
import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

// graphql 16 has no exports map: Vite would pick its ESM build for test files while Pothos and
// Yoga, loaded by Node, get the CommonJS one, and two copies of graphql cannot share a schema.
const graphqlEntry = createRequire(new URL('./packages/schema/package.json', import.meta.url)).resolve(
  'graphql',
);
const resolve = { alias: [{ find: /^graphql$/, replacement: graphqlEntry }] };

const dbTests = ['packages/*/test/**/*.test.ts'];
const unitTests = ['packages/*/test/unit/**/*.test.ts'];
const common = { testTimeout: 60_000, hookTimeout: 180_000 };

export default defineConfig({
  test: {
    // Seeds one database of each kind per run; test files copy it.
    globalSetup: ['packages/server/test/helpers/global-setup.ts'],
    projects: [
      { resolve, test: { ...common, name: 'unit', include: unitTests } },
      {
        resolve,
        test: {
          ...common,
          name: 'embedded',
          include: dbTests,
          exclude: unitTests,
          env: { TEST_DB: 'embedded' },
        },
      },
      ...(process.env.TEST_DATABASE_URL
        ? [
            {
              resolve,
              test: {
                ...common,
                name: 'postgres',
                include: dbTests,
                exclude: unitTests,
                env: { TEST_DB: 'postgres' },
              },
            },
          ]
        : []),
    ],
  },
});
