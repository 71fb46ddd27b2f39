import { defineConfig } from 'vitest/config';

// Two projects: pure units, and integration suites that start real servers on port 0.
// Integration suites run on PGlite, and on PostgreSQL too when DATABASE_URL is set
// (see test/harness/databases.ts). The machine has 2 cores: files run two at a time.
export default defineConfig({
  test: {
    maxWorkers: 2,
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
