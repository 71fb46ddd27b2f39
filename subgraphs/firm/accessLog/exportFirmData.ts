import { asc, getTableColumns } from 'drizzle-orm';
import { getTableConfig, type PgColumn, type PgTable } from 'drizzle-orm/pg-core';
import type { FirmDb } from '../db/firmDb.js';
import { accessLog, accessRequests, agreements, writeLog } from '../db/governanceTables.js';
import { tables } from '../db/tables.js';
import { readStoredHead, verifyStoredLog } from '../hashChain/storedChain.js';
import { WRITE_LOG_CHAIN } from '../writeLog/writeLogChain.js';
import { lotComponentReceipts } from '../db/receiptTables.js';
import { readHead } from './readChain.js';
import { verifyStoredChain } from './verifyStoredChain.js';

/** The `format` and `formatVersion` of an export document (docs/export-format.md). */
export const EXPORT_FORMAT = 'cluster-dataspace-firm-export';
export const EXPORT_FORMAT_VERSION = 1;

/** Rows read per statement while exporting a table. */
const EXPORT_BATCH = 5000;

/** What the export says about its origin, besides the database's content. */
export interface ExportSource {
  firmId: string;
  /** `pglite` or `postgres`, and where (a URL without its password, or a directory). */
  database: { driver: string; location: string };
  /** The firm's policy file, as written by the firm; null when it is not known here. */
  policy: { file: string; content: string } | null;
  /** Default: now. */
  exportedAt?: Date;
}

/** Where the document goes: `write` resolves when the chunk may be followed by the next. */
export interface ExportSink {
  write(chunk: string): Promise<void>;
}

/** A table's rows as they appear in the document: its SQL name, its columns, its rows. */
function tableHeader(table: PgTable): string {
  const columns = Object.fromEntries(Object.entries(getTableColumns(table)).map(([key, column]) => [key, column.name]));
  return `"table":${JSON.stringify(getTableConfig(table).name)},"columns":${JSON.stringify(columns)}`;
}

/** A stable order for paging through a table: its primary key. */
function orderOf(table: PgTable): PgColumn[] {
  const config = getTableConfig(table);
  const composite = config.primaryKeys[0]?.columns;
  if (composite && composite.length > 0) return composite;
  const single = config.columns.filter((c) => c.primary);
  return single.length > 0 ? single : config.columns;
}

async function writeRows(db: FirmDb, table: PgTable, sink: ExportSink): Promise<number> {
  const order = orderOf(table).map((c) => asc(c));
  let count = 0;
  await sink.write('"rows":[');
  for (let offset = 0; ; offset += EXPORT_BATCH) {
    const rows = await db.select().from(table).orderBy(...order).limit(EXPORT_BATCH).offset(offset);
    for (const row of rows) {
      await sink.write(`${count === 0 ? '' : ','}\n${JSON.stringify(row)}`);
      count += 1;
    }
    if (rows.length < EXPORT_BATCH) break;
  }
  await sink.write(']');
  return count;
}

async function writeTable(db: FirmDb, table: PgTable, sink: ExportSink): Promise<number> {
  await sink.write(`{${tableHeader(table)},`);
  const count = await writeRows(db, table, sink);
  await sink.write('}');
  return count;
}

/**
 * Writes everything a firm holds in the data space as one JSON document (format in
 * docs/export-format.md): its data tables, its policy file, its agreements and access
 * requests, its access log and its write log, each with its head and its verification. Tables are read in
 * pages in primary-key order inside one read-only, repeatable-read transaction (a
 * consistent snapshot even while the firm serves requests on PostgreSQL) and streamed to
 * the sink, so memory does not grow with the data. Resolves with the row count per table.
 * @example
 * const out = createWriteStream('structura.json');
 * await exportFirmData(db, { firmId: 'structura', database, policy }, { write: (s) => writeTo(out, s) });
 */
export async function exportFirmData(db: FirmDb, source: ExportSource, sink: ExportSink): Promise<Record<string, number>> {
  return db.transaction(
    async (tx) => {
      const counts: Record<string, number> = {};
      const head = await readHead(tx);
      const verification = await verifyStoredChain(tx);
      const writeHead = await readStoredHead(tx, WRITE_LOG_CHAIN);
      const writeVerification = await verifyStoredLog(tx, WRITE_LOG_CHAIN);
      const opening = {
        format: EXPORT_FORMAT,
        formatVersion: EXPORT_FORMAT_VERSION,
        firmId: source.firmId,
        exportedAt: (source.exportedAt ?? new Date()).toISOString(),
        database: source.database,
        policy: source.policy,
      };
      await sink.write(`${JSON.stringify(opening).slice(0, -1)},\n"data":{`);
      let first = true;
      for (const [name, table] of Object.entries(tables)) {
        await sink.write(`${first ? '' : ','}\n${JSON.stringify(name)}:`);
        counts[name] = await writeTable(tx, table, sink);
        first = false;
      }
      await sink.write('},\n"agreements":');
      counts.agreements = await writeTable(tx, agreements, sink);
      await sink.write(',\n"accessRequests":');
      counts.accessRequests = await writeTable(tx, accessRequests, sink);
      // Archive only: a receipt's verification is the firm's own check through the gateway, never claimed by a file.
      await sink.write(',\n"receipts":');
      counts.receipts = await writeTable(tx, lotComponentReceipts, sink);
      await sink.write(`,\n"accessLog":{${tableHeader(accessLog)},"head":${JSON.stringify(head ?? null)},`);
      counts.accessLog = await writeRows(tx, accessLog, sink);
      await sink.write(`},\n"writeLog":{${tableHeader(writeLog)},"head":${JSON.stringify(writeHead ?? null)},`);
      counts.writeLog = await writeRows(tx, writeLog, sink);
      const shown = ({ head: _head, ...result }: typeof verification) => JSON.stringify({ ...result, firstBrokenSeq: result.firstBrokenSeq ?? null, reason: result.reason ?? null });
      await sink.write(
        `},\n"verification":${shown(verification)},\n"writeLogVerification":${shown(writeVerification)},\n"counts":${JSON.stringify(counts)}}\n`,
      );
      return counts;
    },
    { isolationLevel: 'repeatable read', accessMode: 'read only' },
  );
}
