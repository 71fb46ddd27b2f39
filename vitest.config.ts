import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

// Two projects: pure units, and integration suites that start real servers on port 0.
// Integration suites run on PGlite, and on PostgreSQL too when DATABASE_URL is set
// (see test/harness/databases.ts). The machine has 2 cores: files run two at a time.
//
// `graphql` is pinned to its CommonJS build, the one Node and the Apollo packages load:
// Vite would otherwise hand our code the ESM build, and a schema built by @apollo/subgraph
// would come from "another realm".
const resolve = { alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }] };

export default defineConfig({
  resolve,
  test: {
    maxWorkers: 2,
    env: { APOLLO_TELEMETRY_DISABLED: 'true' },
    projects: [
      {
        resolve,
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          testTimeout: 20_000,
          env: { APOLLO_TELEMETRY_DISABLED: 'true' },
        },
      },
      {
        resolve,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          env: { APOLLO_TELEMETRY_DISABLED: 'true' },
        },
      },
    ],
  },
});
