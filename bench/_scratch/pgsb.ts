import { PGlite } from '@electric-sql/pglite';
const d = await PGlite.create();
console.log((await d.query('show shared_buffers')).rows, (await d.query('show wal_buffers')).rows, (await d.query('show work_mem')).rows);
await d.close();
