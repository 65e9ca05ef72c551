import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  // Inline the one type-only dependency, so the package installs with no dependencies at all.
  dts: { resolve: ['@graphql-typed-document-node/core'] },
  sourcemap: true,
  clean: true,
  target: 'es2022',
  platform: 'neutral',
  treeshake: true,
});
