import postgres from 'postgres';
import type { FirmSeed } from '../../seed/clusterSeed.js';

/**
 * Fills one firm's (migrated) PostgreSQL database with a large history, set-based: every
 * table is one `INSERT ... SELECT ... FROM generate_series(...)`, no row crosses the wire.
 * The shape follows the generator (seed/generateCluster.ts) at scale: parts with BOMs on
 * the suppliers' parts, lots whose components are lots the suppliers really made (ids from
 * their seeds) and, for two lots in three, an earlier lot of the firm's own (a
 * sub-assembly), a production run per lot, three inspections per lot, anomalies,
 * shipments of the shipped lots to the firm's customers against their real orders,
 * purchase orders to the suppliers, order confirmations and stock. Every row carries the
 * owner's `firm_id`; ids never collide with the generator's (7-8 digit numbers where the
 * generator writes 2-5). The bulk history covers the two years before the generator's.
 */
export interface BulkFillOptions {
  /** A PostgreSQL URL of the firm's database, migrated (and possibly seeded already). */
  url: string;
  firmId: string;
  /** Lots to add; the other tables follow (about 9.3 rows per lot in all). */
  lots: number;
  /** The generator's rows of the firm's direct suppliers: their lots and parts are the components. */
  suppliers: readonly FirmSeed[];
  /** The generator's rows of the firm's direct customers: their purchase orders placed with this firm. */
  customers: readonly FirmSeed[];
}

export interface BulkFillResult {
  /** Rows per table afterwards (seeded rows included), by `count(*)`. */
  rowsPerTable: Record<string, number>;
  totalRows: number;
  /** Time to insert, and to VACUUM (ANALYZE) afterwards, in seconds. */
  insertSeconds: number;
  analyzeSeconds: number;
  /** Per table: seconds of its INSERT statement(s). */
  insertSecondsPerTable: Record<string, number>;
}

/** The firm's data tables, in load order. */
export const DATA_TABLES = [
  'parts',
  'bom_lines',
  'lots',
  'lot_components',
  'production_runs',
  'quality_inspections',
  'sensor_anomalies',
  'shipments',
  'shipment_lots',
  'purchase_orders',
  'purchase_order_lines',
  'order_confirmations',
  'inventory_positions',
] as const;

/** A deterministic hash of an integer expression in [0, 4294967291), `salt` picking one of many. */
const h = (x: string, salt: number): string => `((((${x})::bigint * 2654435761 + ${salt * 40503}) % 4294967291))`;
const pad = (x: string, width: number): string => `lpad((${x})::text, ${width}, '0')`;
const textArray = (items: readonly string[]): string => `array[${items.map((s) => `'${s.replace(/'/g, "''")}'`).join(', ')}]`;

const CATEGORIES = ['flight computer', 'display unit', 'radio', 'sensor', 'harness', 'power supply', 'antenna', 'actuator controller'];
const NAMES = ['Flight control computer', 'Cockpit display unit', 'VHF radio', 'Air data sensor', 'Wiring harness', 'Power supply unit', 'GNSS antenna', 'Actuator control unit'];
const LINES = ['Assembly line 1', 'Assembly line 2', 'SMT line A', 'Test bench B'];
const SITES = ['Main plant', 'Distribution centre'];
const CARRIERS = ['DHL', 'GEODIS', 'CEVA Logistics', 'Kuehne+Nagel'];
const METRICS = ['reflow oven temperature °C', 'pick-and-place vacuum kPa', 'test bench supply V', 'conformal coat thickness µm'];
/** Inspection characteristics: name, unit, lower and upper limit. */
const CHARACTERISTICS: [string, string, number, number][] = [
  ['insulation resistance', 'MΩ', 100, 1000],
  ['solder joint voids', '%', 0, 25],
  ['supply current', 'A', 1.8, 2.4],
  ['connector position', 'mm', 12.45, 12.55],
  ['mass', 'kg', 2.9, 3.1],
  ['functional test score', 'pts', 90, 100],
];

/**
 * Adds `lots` lots and their surrounding rows to the firm's database, then VACUUM (ANALYZE).
 * @example await bulkFillFirm({ url, firmId: 'avionix', lots: 110_000, suppliers: [seed.firms.circuitra!], customers: [seed.firms.skyframe!] });
 */
export async function bulkFillFirm(options: BulkFillOptions): Promise<BulkFillResult> {
  const { firmId } = options;
  const N = Math.max(10, Math.floor(options.lots));
  const P = Math.max(10, Math.round(N / 50));
  const S = options.suppliers.length;
  if (S === 0) throw new Error(`bulkFillFirm: ${firmId} has no supplier, its lots would have no supplier components`);
  if (options.customers.length === 0) throw new Error(`bulkFillFirm: ${firmId} has no customer to ship to`);
  const sql = postgres(options.url, { max: 1, onnotice: () => undefined });
  const run = (text: string): Promise<unknown> => sql.unsafe(text, [firmId]);
  const perTable: Record<string, number> = {};
  const timed = async (table: string, text: string): Promise<void> => {
    const t0 = performance.now();
    await run(text);
    perTable[table] = (perTable[table] ?? 0) + (performance.now() - t0) / 1000;
  };
  const lotId = (n: string): string => `$1 || '-L' || ${pad(n, 7)}`;
  const partId = (p: string): string => `$1 || '-P' || ${pad(p, 5)}`;
  const runId = (n: string): string => `$1 || '-R' || ${pad(n, 7)}`;
  const partOf = (n: string): string => `(1 + ${h(n, 3)} % ${P})`;
  const quantityOf = (n: string): string => `(1 + ${h(n, 2)} % 8)`;
  /** Lots in production order over the two years before the generator's history (2026-09-01). */
  const producedAt = (n: string): string =>
    `(timestamptz '2024-09-01 00:00:00+00' + (((${n}) - 1)::float8 / ${N} * 730 + (${h(n, 1)} % 1000) / 2000.0) * interval '1 day')`;
  const statusOf = (n: string): string =>
    `(case when ${h(n, 4)} % 100 < 60 then 'SHIPPED' when ${h(n, 4)} % 100 < 75 then 'CONSUMED' when ${h(n, 4)} % 100 < 90 then 'RELEASED' when ${h(n, 4)} % 100 < 97 then 'QUARANTINED' else 'SCRAPPED' end)`;

  const started = performance.now();
  try {
    await sql.unsafe('set synchronous_commit = off');
    // One transaction (max: 1 connection): the in-firm foreign keys (migration 0003) are
    // checked at commit, so a lot may name its run before the run is inserted.
    await sql.unsafe('begin');
    // What the set-based inserts pick from: the suppliers' lots and parts, the customers' orders with this firm.
    await sql.unsafe('create temp table bench_supplier_lots (k int, i int, firm_id text, lot_id text, primary key (k, i))');
    await sql.unsafe('create temp table bench_supplier_parts (k int, i int, firm_id text, part_id text, primary key (k, i))');
    await sql.unsafe('create temp table bench_customer_orders (i int primary key, customer_id text, order_id text)');
    const lotRows = options.suppliers.flatMap((s, k) => s.lots.map((l, i) => [k + 1, i + 1, s.firmId, l.lotId] as const));
    const partRows = options.suppliers.flatMap((s, k) => s.parts.map((p, i) => [k + 1, i + 1, s.firmId, p.partId] as const));
    const orderRows = options.customers
      .flatMap((c) => c.purchaseOrders.filter((o) => o.supplierId === firmId).map((o) => [c.firmId, o.orderId] as const))
      .map(([c, o], i) => [i + 1, c, o] as const);
    if (orderRows.length === 0) throw new Error(`bulkFillFirm: no customer order is placed with ${firmId}`);
    const unnest = (table: string, rows: readonly (readonly (string | number)[])[], types: string[]) =>
      sql.unsafe(
        `insert into ${table} select * from unnest(${types.map((t, i) => `$${i + 1}::${t}[]`).join(', ')})`,
        types.map((_, col) => rows.map((r) => r[col] ?? null)) as never[],
      );
    await unnest('bench_supplier_lots', lotRows, ['int', 'int', 'text', 'text']);
    await unnest('bench_supplier_parts', partRows, ['int', 'int', 'text', 'text']);
    await unnest('bench_customer_orders', orderRows, ['int', 'text', 'text']);
    await sql.unsafe(`create temp table bench_suppliers as
      select k, (select firm_id from bench_supplier_lots l where l.k = c.k limit 1) as firm_id, count(*)::int as lots,
             (select count(*)::int from bench_supplier_parts p where p.k = c.k) as parts
      from bench_supplier_lots c group by k`);
    const orders = orderRows.length;

    await timed(
      'parts',
      `insert into parts (firm_id, part_id, part_number, name, category, uom, unit_cost)
       select $1, ${partId('p')}, upper(left($1, 3)) || '-' || (20000 + p)::text,
              (${textArray(NAMES)})[1 + p % ${NAMES.length}] || ' type ' || (p / ${NAMES.length} + 1)::text,
              case when p % 20 = 0 then 'prototype' else (${textArray(CATEGORIES)})[1 + p % ${CATEGORIES.length}] end,
              'pcs', round((200 + ${h('p', 5)} % 90000)::numeric, 2)::float8
       from generate_series(1, ${P}) p`,
    );
    // One line per supplier (one of its parts), and one sub-assembly of the firm's own (another part).
    await timed(
      'bom_lines',
      `insert into bom_lines (firm_id, part_id, line_no, component_firm_id, component_part_id, quantity_per, uom)
       select $1, ${partId('p')}, s.k, sp.firm_id, sp.part_id, 1 + ${h('p', 6)} % 6, 'pcs'
       from generate_series(1, ${P}) p cross join bench_suppliers s
       join bench_supplier_parts sp on sp.k = s.k and sp.i = 1 + ${h('p * 7 + s.k', 7)} % s.parts
       union all
       select $1, ${partId('p')}, ${S + 1}, $1, ${partId(`1 + (p + ${h('p', 8)} % ${P - 1}) % ${P}`)}, 1 + ${h('p', 9)} % 3, 'pcs'
       from generate_series(1, ${P}) p`,
    );
    await timed(
      'lots',
      `insert into lots (firm_id, lot_id, part_id, quantity, uom, produced_at, status, run_id)
       select $1, ${lotId('n')}, ${partId(partOf('n'))}, ${quantityOf('n')}, 'pcs', ${producedAt('n')}, ${statusOf('n')}, ${runId('n')}
       from generate_series(1, ${N}) n`,
    );
    // As built: a lot of each supplier, and for two lots in three an earlier lot of our own.
    await timed(
      'lot_components',
      `insert into lot_components (firm_id, lot_id, line_no, component_firm_id, component_lot_id, quantity_used)
       select $1, ${lotId('n')}, s.k, sl.firm_id, sl.lot_id, 1 + ${h('n', 10)} % 4
       from generate_series(1, ${N}) n cross join bench_suppliers s
       join bench_supplier_lots sl on sl.k = s.k and sl.i = 1 + ${h('n * 7 + s.k', 11)} % s.lots`,
    );
    await timed(
      'lot_components',
      `insert into lot_components (firm_id, lot_id, line_no, component_firm_id, component_lot_id, quantity_used)
       select $1, ${lotId('n')}, ${S + 1}, $1, ${lotId(`1 + ${h('n', 12)} % (n - 1)`)}, 1
       from generate_series(2, ${N}) n where n % 3 <> 0`,
    );
    // One run per lot (done), and a few still planned or running (no lot yet).
    const openRuns = Math.max(1, Math.round(N / 50));
    await timed(
      'production_runs',
      `insert into production_runs (firm_id, run_id, part_id, line, planned_quantity, done_quantity, status, planned_start, planned_end, lot_id)
       select $1, ${runId('n')}, ${partId(partOf('n'))}, (${textArray(LINES)})[1 + n % ${LINES.length}], ${quantityOf('n')}, ${quantityOf('n')}, 'DONE',
              ${producedAt('n')} - interval '2 days', ${producedAt('n')} - interval '1 hour', ${lotId('n')}
       from generate_series(1, ${N}) n
       union all
       select $1, ${runId('n')}, ${partId(`1 + ${h('n', 3)} % ${P}`)}, (${textArray(LINES)})[1 + n % ${LINES.length}], 1 + n % 8, 0,
              case when n % 2 = 0 then 'PLANNED' else 'RUNNING' end,
              timestamptz '2026-12-31 00:00:00+00' + (n - ${N}) * interval '1 hour', timestamptz '2027-01-02 00:00:00+00' + (n - ${N}) * interval '1 hour', null
       from generate_series(${N + 1}, ${N + openRuns}) n`,
    );
    const chars = CHARACTERISTICS;
    const col = (i: number): string => `(${textArray(chars.map((c) => String(c[i])))})`;
    const lo = `(${col(2)})[c]::float8`;
    const hi = `(${col(3)})[c]::float8`;
    await timed(
      'quality_inspections',
      `insert into quality_inspections (firm_id, inspection_id, lot_id, characteristic, value, lower_limit, upper_limit, unit, result, inspected_at)
       select $1, $1 || '-QI' || ${pad('(n - 1) * 3 + j', 8)}, ${lotId('n')}, ${col(0)}[c], 
              case when fail then ${hi} + (${hi} - ${lo}) * 0.1 else round((${lo} + (${hi} - ${lo}) * (${h('n * 3 + j', 13)} % 1000) / 1000.0)::numeric, 4)::float8 end,
              ${lo}, ${hi}, ${col(1)}[c], case when fail then 'FAIL' else 'PASS' end, ${producedAt('n')} + j * interval '1 hour'
       from generate_series(1, ${N}) n cross join generate_series(1, 3) j
       cross join lateral (select 1 + (j - 1 + 3 * (${partOf('n')} % 2)) as c, ${h('n * 3 + j', 14)} % 100 < 3 as fail) x`,
    );
    await timed(
      'sensor_anomalies',
      `insert into sensor_anomalies (firm_id, anomaly_id, machine_id, metric, value, threshold, detected_at, severity, run_id)
       select $1, $1 || '-AN' || ${pad('k', 7)}, $1 || '-M' || (10 + ${h('k', 15)} % 30)::text, (${textArray(METRICS)})[1 + k % ${METRICS.length}],
              100 + ${h('k', 16)} % 50, 100, ${producedAt('5 * k')} - interval '1 day',
              case when ${h('k', 17)} % 10 = 0 then 'HIGH' when ${h('k', 17)} % 10 < 4 then 'MEDIUM' else 'LOW' end, ${runId('5 * k')}
       from generate_series(1, ${Math.floor(N / 5)}) k`,
    );
    // Four consecutive lots per shipment; the shipped ones are in it.
    await timed(
      'shipments',
      `insert into shipments (firm_id, shipment_id, customer_id, order_id, shipped_at, eta, delivered_at, status, carrier)
       select $1, $1 || '-SH' || ${pad('s', 7)}, o.customer_id, o.order_id, t.at, t.at + interval '2 days',
              t.at + interval '2 days' + (${h('s', 18)} % 12) * interval '1 hour', 'DELIVERED', (${textArray(CARRIERS)})[1 + s % ${CARRIERS.length}]
       from generate_series(1, ${Math.ceil(N / 4)}) s
       join bench_customer_orders o on o.i = 1 + ${h('s', 19)} % ${orders}
       cross join lateral (select ${producedAt(`least(4 * s, ${N})`)} + interval '1 day' as at) t`,
    );
    await timed(
      'shipment_lots',
      `insert into shipment_lots (firm_id, shipment_id, lot_id, quantity)
       select $1, $1 || '-SH' || ${pad('(n + 3) / 4', 7)}, ${lotId('n')}, ${quantityOf('n')}
       from generate_series(1, ${N}) n where ${statusOf('n')} = 'SHIPPED'`,
    );
    await timed(
      'purchase_orders',
      `insert into purchase_orders (firm_id, order_id, supplier_id, placed_at, status)
       select $1, $1 || '-PO' || ${pad('o', 7)}, s.firm_id, ${producedAt('10 * o')} - interval '20 days',
              case when ${h('o', 20)} % 100 < 95 then 'DELIVERED' else 'CANCELLED' end
       from generate_series(1, ${Math.floor(N / 10)}) o join bench_suppliers s on s.k = 1 + o % ${S}`,
    );
    await timed(
      'purchase_order_lines',
      `insert into purchase_order_lines (firm_id, order_id, line_no, part_firm_id, part_id, quantity, unit_price, requested_date)
       select $1, $1 || '-PO' || ${pad('o', 7)}, l, sp.firm_id, sp.part_id, 10 * (1 + ${h('o * 2 + l', 21)} % 20),
              round((5 + ${h('o * 2 + l', 22)} % 2000)::numeric, 2)::float8, (${producedAt('10 * o')} - interval '6 days')::date
       from generate_series(1, ${Math.floor(N / 10)}) o cross join generate_series(1, 2) l
       join bench_suppliers s on s.k = 1 + o % ${S}
       join bench_supplier_parts sp on sp.k = s.k and sp.i = 1 + ${h('o * 2 + l', 23)} % s.parts`,
    );
    await timed(
      'order_confirmations',
      `insert into order_confirmations (firm_id, confirmation_id, buyer_id, order_id, line_no, confirmed_quantity, promised_date, status)
       select $1, $1 || '-OC' || ${pad('c', 7)}, o.customer_id, o.order_id, 1, 1 + ${h('c', 24)} % 8,
              (${producedAt('least(8 * c, ' + N + ')')} + interval '3 days')::date,
              case when ${h('c', 25)} % 100 < 80 then 'ACCEPTED' when ${h('c', 25)} % 100 < 95 then 'REVISED' else 'REJECTED' end
       from generate_series(1, ${Math.floor(N / 8)}) c join bench_customer_orders o on o.i = 1 + c % ${orders}`,
    );
    await timed(
      'inventory_positions',
      `insert into inventory_positions (firm_id, position_id, part_id, site, on_hand, allocated, blocked, updated_at)
       select $1, $1 || '-IP' || ${pad('(p - 1) * 2 + s', 6)}, ${partId('p')}, (${textArray(SITES)})[s], ${h('p * 2 + s', 26)} % 40,
              ${h('p * 2 + s', 27)} % 5, ${h('p * 2 + s', 28)} % 2, timestamptz '2026-08-31 22:00:00+00'
       from generate_series(1, ${P}) p cross join generate_series(1, 2) s`,
    );
    await sql.unsafe('commit');
    const insertSeconds = (performance.now() - started) / 1000;

    const t1 = performance.now();
    for (const table of DATA_TABLES) await sql.unsafe(`vacuum (analyze) ${table}`);
    const analyzeSeconds = (performance.now() - t1) / 1000;

    const rowsPerTable: Record<string, number> = {};
    for (const table of DATA_TABLES) {
      const [row] = await sql.unsafe<{ n: string }[]>(`select count(*) as n from ${table}`);
      rowsPerTable[table] = Number(row?.n ?? 0);
    }
    const round1 = (x: number): number => Math.round(x * 10) / 10;
    return {
      rowsPerTable,
      totalRows: Object.values(rowsPerTable).reduce((a, b) => a + b, 0),
      insertSeconds: round1(insertSeconds),
      analyzeSeconds: round1(analyzeSeconds),
      insertSecondsPerTable: Object.fromEntries(Object.entries(perTable).map(([k, v]) => [k, round1(v)])),
    };
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/** Lots to add for about `rows` rows in all (the other tables follow the lots, ≈ 9.3 rows per lot with 2 suppliers). */
export function lotsForRows(rows: number): number {
  return Math.ceil(rows / 9);
}
