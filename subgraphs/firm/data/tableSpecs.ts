import { getTableColumns } from 'drizzle-orm';
import { getTableConfig, type AnyPgColumn, type PgTable } from 'drizzle-orm/pg-core';
import { accessRequests, agreements } from '../db/governanceTables.js';
import { tables, type FirmTables } from '../db/tables.js';

/**
 * The importable (and writable) tables of a firm, described once: the CSV file of each, its
 * columns with their types, which are required, which are the key, and which point at other
 * rows of the same firm. Columns, SQL names, types, required and enum values are read from
 * the drizzle tables (`db/tables.ts`), so the format cannot drift from the database; only
 * the file names and the in-firm references are stated here (and a unit test checks those
 * references against the database's foreign keys).
 */

/** A data table, by its drizzle key (`lots`, `bomLines`, ...). */
export type TableName = keyof FirmTables;

/** The governance tables an export re-imports (a firm's agreements and the requests that led to them). */
export type GovernanceTableName = 'agreements' | 'accessRequests';

/** Any table an import writes. */
export type StoredTableName = TableName | GovernanceTableName;

/** How a value is written and checked; `json` (a list of strings) only in the governance tables. */
export type ColumnType = 'id' | 'text' | 'int' | 'float' | 'enum' | 'date' | 'datetime' | 'json';

/** One column: its camelCase name (the CSV header, the JSON key, the write API's input field). */
export interface ColumnSpec {
  name: string;
  /** The SQL column. */
  sqlName: string;
  type: ColumnType;
  /** NOT NULL in the database: a missing or empty value is refused. */
  required: boolean;
  /** The closed vocabulary of an `enum` column. */
  enumValues?: readonly string[];
  /** Part of the table's key. */
  key: boolean;
  /** `firmId`: the owner. It may be left out (it is the importing firm); any other firm is refused. */
  owner: boolean;
}

/**
 * A pointer from a column to the key of another table of the same firm. With `whenOwnFirm`,
 * the pointer is in-firm only when that column names the row's own firm (a component lot of
 * the firm's own); another firm's row is key-only and not checked.
 */
export interface ReferenceSpec {
  column: string;
  table: TableName;
  whenOwnFirm?: string;
}

/** One importable table. */
export interface TableSpec {
  table: StoredTableName;
  sqlTable: string;
  /** The CSV file name without `.csv` (`purchase-order-lines`). */
  file: string;
  /** The GraphQL type a row of this table is served as (`PurchaseOrderLine`). */
  graphqlType: string;
  columns: readonly ColumnSpec[];
  /** The key columns, in key order (`['orderId', 'lineNo']`). */
  key: readonly string[];
  references: readonly ReferenceSpec[];
  /** The drizzle table. */
  drizzle: PgTable;
}

/** What is stated by hand: the file and the in-firm references. Order = import order (parents first). */
const STATED: ReadonlyArray<{ table: TableName; file: string; graphqlType: string; references: ReferenceSpec[] }> = [
  { table: 'parts', file: 'parts', graphqlType: 'Part', references: [] },
  {
    table: 'bomLines',
    file: 'bom-lines',
    graphqlType: 'BomLine',
    references: [
      { column: 'partId', table: 'parts' },
      { column: 'componentPartId', table: 'parts', whenOwnFirm: 'componentFirmId' },
    ],
  },
  { table: 'productionRuns', file: 'production-runs', graphqlType: 'ProductionRun', references: [{ column: 'partId', table: 'parts' }, { column: 'lotId', table: 'lots' }] },
  { table: 'lots', file: 'lots', graphqlType: 'Lot', references: [{ column: 'partId', table: 'parts' }, { column: 'runId', table: 'productionRuns' }] },
  {
    table: 'lotComponents',
    file: 'lot-components',
    graphqlType: 'LotComponent',
    references: [
      { column: 'lotId', table: 'lots' },
      { column: 'componentLotId', table: 'lots', whenOwnFirm: 'componentFirmId' },
    ],
  },
  { table: 'purchaseOrders', file: 'purchase-orders', graphqlType: 'PurchaseOrder', references: [] },
  { table: 'purchaseOrderLines', file: 'purchase-order-lines', graphqlType: 'PurchaseOrderLine', references: [{ column: 'orderId', table: 'purchaseOrders' }] },
  { table: 'orderConfirmations', file: 'order-confirmations', graphqlType: 'OrderConfirmation', references: [] },
  { table: 'shipments', file: 'shipments', graphqlType: 'Shipment', references: [] },
  {
    table: 'shipmentLots',
    file: 'shipment-lots',
    graphqlType: 'ShipmentLot',
    references: [{ column: 'shipmentId', table: 'shipments' }, { column: 'lotId', table: 'lots' }],
  },
  { table: 'inventoryPositions', file: 'inventory', graphqlType: 'InventoryPosition', references: [{ column: 'partId', table: 'parts' }] },
  { table: 'qualityInspections', file: 'quality-inspections', graphqlType: 'QualityInspection', references: [{ column: 'lotId', table: 'lots' }] },
  { table: 'sensorAnomalies', file: 'sensor-anomalies', graphqlType: 'SensorAnomaly', references: [{ column: 'runId', table: 'productionRuns' }] },
  { table: 'sensorReadings', file: 'sensor-readings', graphqlType: 'SensorReading', references: [{ column: 'runId', table: 'productionRuns' }] },
];

function typeOf(key: string, column: AnyPgColumn): ColumnType {
  switch (column.columnType) {
    case 'PgInteger':
      return 'int';
    case 'PgDoublePrecision':
      return 'float';
    case 'PgTimestamp':
      return 'datetime';
    case 'PgDateString':
      return 'date';
    case 'PgJsonb':
      return 'json';
    case 'PgText':
      if (column.enumValues && column.enumValues.length > 0) return 'enum';
      return key.endsWith('Id') ? 'id' : 'text';
    default:
      throw new Error(`tableSpecs: column ${column.name} has type ${column.columnType}, which the data format does not know`);
  }
}

function keyOf(table: PgTable): string[] {
  const columns = getTableColumns(table) as Record<string, AnyPgColumn>;
  const nameOf = (sqlName: string): string => {
    const found = Object.entries(columns).find(([, c]) => c.name === sqlName);
    if (!found) throw new Error(`tableSpecs: no column ${sqlName}`);
    return found[0];
  };
  const composite = getTableConfig(table).primaryKeys[0]?.columns;
  if (composite && composite.length > 0) return composite.map((c) => nameOf(c.name));
  return Object.entries(columns).filter(([, c]) => c.primary).map(([k]) => k);
}

function specOf(stated: { table: StoredTableName; file: string; graphqlType: string; references: ReferenceSpec[] }, drizzle: PgTable): TableSpec {
  const key = keyOf(drizzle);
  const columns = Object.entries(getTableColumns(drizzle) as Record<string, AnyPgColumn>).map(([name, column]): ColumnSpec => {
    const type = typeOf(name, column);
    return {
      name,
      sqlName: column.name,
      type,
      required: column.notNull,
      ...(type === 'enum' ? { enumValues: column.enumValues as readonly string[] } : {}),
      key: key.includes(name),
      owner: name === 'firmId',
    };
  });
  return { table: stated.table, sqlTable: getTableConfig(drizzle).name, file: stated.file, graphqlType: stated.graphqlType, columns, key, references: stated.references, drizzle };
}

/**
 * Every importable table, parents before children (the order in which an import applies
 * them and in which docs/import-format.md lists them).
 * @example
 * for (const spec of TABLE_SPECS) console.log(`${spec.file}.csv`, spec.key.join(' + '));
 */
export const TABLE_SPECS: readonly (TableSpec & { table: TableName })[] = STATED.map((s) => ({ ...specOf(s, tables[s.table]), table: s.table }));

/**
 * The governance tables an export carries besides `data`: re-imported with it (docs/export-format.md),
 * never from CSV and never through the write API.
 * @example GOVERNANCE_SPECS.map((s) => s.table) // ['agreements', 'accessRequests']
 */
export const GOVERNANCE_SPECS: readonly TableSpec[] = [
  specOf({ table: 'agreements', file: 'agreements', graphqlType: 'Agreement', references: [] }, agreements),
  specOf({ table: 'accessRequests', file: 'access-requests', graphqlType: 'AccessRequest', references: [] }, accessRequests),
];

const BY_TABLE = new Map(TABLE_SPECS.map((s) => [s.table, s]));
const BY_FILE = new Map(TABLE_SPECS.map((s) => [s.file, s]));

/**
 * The spec of a table.
 * @example const lots = tableSpec('lots'); // lots.key → ['lotId']
 */
export function tableSpec(table: TableName): TableSpec & { table: TableName } {
  const spec = BY_TABLE.get(table);
  if (!spec) throw new Error(`no table spec for ${table}`);
  return spec;
}

/**
 * The spec of a CSV file name (`lots.csv`, `bom-lines.csv`, or without `.csv`), or of a
 * table name as an export's `data` uses it (`bomLines`); undefined when none.
 * @example specOfName('purchase-order-lines.csv')?.table // 'purchaseOrderLines'
 */
export function specOfName(name: string): TableSpec | undefined {
  const bare = name.replace(/\.csv$/i, '');
  return BY_FILE.get(bare) ?? BY_TABLE.get(bare as TableName);
}

/** Whether a string is a data table's name. */
export function isTableName(name: string): name is TableName {
  return BY_TABLE.has(name as TableName);
}

/**
 * The key of a row as one string: its key values joined by `/` (`structura-L0001`,
 * `structura-PO0003/2`), as the write log's `keys` list them.
 * @example rowKey(tableSpec('bomLines'), { partId: 'p1', lineNo: 2 }) // 'p1/2'
 */
export function rowKey(spec: Pick<TableSpec, 'key'>, row: Readonly<Record<string, unknown>>): string {
  return spec.key.map((k) => String(row[k])).join('/');
}
