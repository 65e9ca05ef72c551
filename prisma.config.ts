// Prisma CLI configuration. Only `prisma generate` runs here (the native schema engine cannot be
// downloaded on our machines); migrations are created and applied by our own scripts.
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
});
