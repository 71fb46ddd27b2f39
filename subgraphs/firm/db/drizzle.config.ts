import { defineConfig } from 'drizzle-kit';

// `npm run db:generate` (from the project root) writes a new migration after a change to
// tables.ts or governanceTables.ts. Paths are relative to the project root, where drizzle-kit is run.
export default defineConfig({
  dialect: 'postgresql',
  schema: ['./subgraphs/firm/db/tables.ts', './subgraphs/firm/db/governanceTables.ts', './subgraphs/firm/db/receiptTables.ts', './subgraphs/firm/db/notificationTables.ts'],
  out: './subgraphs/firm/db/migrations',
  strict: true,
  verbose: false,
});
