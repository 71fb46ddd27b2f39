import type { Logger } from 'drizzle-orm/logger';
import postgres from 'postgres';
import type { FirmDb } from '../../subgraphs/firm/db/firmDb.js';

/** One SQL statement as the firm issued it through drizzle. */
export interface CapturedStatement {
  sql: string;
  params: unknown[];
}

/**
 * Taps the drizzle logger of a firm's database (the one that counts
 * `dataspace_sql_statements_total`): while `during` runs, every statement the firm issues
 * is also recorded with its parameters.
 */
export function tapStatements(db: FirmDb): { during(action: () => Promise<void>): Promise<CapturedStatement[]>; restore(): void } {
  const logger = (db as unknown as { session: { logger: Logger } }).session.logger;
  const original = logger.logQuery.bind(logger);
  let sink: CapturedStatement[] | undefined;
  logger.logQuery = (query: string, params: unknown[]) => {
    original(query, params);
    sink?.push({ sql: query, params: [...params] });
  };
  return {
    async during(action) {
      const captured: CapturedStatement[] = [];
      sink = captured;
      try {
        await action();
      } finally {
        sink = undefined;
      }
      return captured;
    },
    restore() {
      delete (logger as { logQuery?: unknown }).logQuery;
    },
  };
}

/** A scan of a table in a plan. */
export interface ScanNode {
  relation: string;
  /** `Seq Scan`, `Index Scan`, `Index Only Scan`, `Bitmap Heap Scan`. */
  nodeType: string;
  index?: string;
}

export interface PlanSummary {
  scans: ScanNode[];
  /** Tables read by a sequential scan that hold more than the big-table threshold, with their rows. */
  seqScansOnBigTables: { relation: string; rows: number }[];
  usesIndex: boolean;
  totalCost: number;
  /** EXPLAIN ANALYZE's execution time (selects only). */
  executionMs?: number;
  /** EXPLAIN (ANALYZE, BUFFERS): 8 kB pages found in shared buffers, and read from the OS (selects only). */
  sharedHit?: number;
  sharedRead?: number;
}

export interface StatementPlan {
  sql: string;
  /** Tables the statement names (from the plan's scans and writes). */
  tables: string[];
  write: boolean;
  /** The plan for the statement's own parameter values (EXPLAIN (ANALYZE, BUFFERS) for a select). */
  custom: PlanSummary;
  /**
   * The generic plan (`plan_cache_mode = force_generic_plan`): postgres.js prepares named
   * statements, and PostgreSQL may switch to the generic plan after five executions. Selects only.
   */
  generic?: PlanSummary;
}

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Total Cost'?: number;
  'Shared Hit Blocks'?: number;
  'Shared Read Blocks'?: number;
  Plans?: PlanNode[];
}

const INDEX_NODES = new Set(['Index Scan', 'Index Only Scan', 'Bitmap Index Scan']);

function nodesOf(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(nodesOf)];
}

function literal(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  const text = value instanceof Date ? value.toISOString() : String(value);
  return `'${text.replace(/'/g, "''")}'`;
}

/**
 * EXPLAIN (FORMAT JSON) of each distinct statement (by SQL text, with the parameters of its
 * first capture) on the firm's database: which tables each scans and how, and any
 * sequential scan of a table with more than `bigTableRows` rows.
 */
export async function explainStatements(url: string, statements: readonly CapturedStatement[], bigTableRows = 10_000): Promise<StatementPlan[]> {
  const distinct = new Map<string, CapturedStatement>();
  for (const s of statements) if (!distinct.has(s.sql)) distinct.set(s.sql, s);
  const sql = postgres(url, { max: 1, onnotice: () => undefined });
  const rowsOf = new Map<string, number>();
  const tableRows = async (relation: string): Promise<number> => {
    let n = rowsOf.get(relation);
    if (n === undefined) {
      const [row] = await sql.unsafe<{ n: string }[]>(`select count(*) as n from "${relation.replace(/"/g, '""')}"`);
      n = Number(row?.n ?? 0);
      rowsOf.set(relation, n);
    }
    return n;
  };
  const summarize = async (json: unknown): Promise<PlanSummary & { relations: string[] }> => {
    const top = (json as [{ Plan: PlanNode; 'Execution Time'?: number }])[0];
    const nodes = nodesOf(top.Plan);
    const scans: ScanNode[] = nodes
      .filter((n) => n['Node Type'].includes('Scan') && (n['Relation Name'] || n['Index Name']))
      .map((n) => ({ relation: n['Relation Name'] ?? '', nodeType: n['Node Type'], ...(n['Index Name'] ? { index: n['Index Name'] } : {}) }));
    const seqScansOnBigTables: { relation: string; rows: number }[] = [];
    for (const s of scans.filter((x) => x.nodeType === 'Seq Scan')) {
      const rows = await tableRows(s.relation);
      if (rows > bigTableRows) seqScansOnBigTables.push({ relation: s.relation, rows });
    }
    return {
      scans,
      seqScansOnBigTables,
      usesIndex: scans.some((s) => INDEX_NODES.has(s.nodeType)),
      totalCost: top.Plan['Total Cost'] ?? 0,
      ...(top['Execution Time'] !== undefined ? { executionMs: Math.round(top['Execution Time'] * 1000) / 1000 } : {}),
      ...(top.Plan['Shared Hit Blocks'] !== undefined ? { sharedHit: top.Plan['Shared Hit Blocks'], sharedRead: top.Plan['Shared Read Blocks'] ?? 0 } : {}),
      relations: nodes.flatMap((n) => (n['Relation Name'] ? [n['Relation Name']] : [])),
    };
  };
  const plans: StatementPlan[] = [];
  try {
    for (const s of distinct.values()) {
      const write = !/^\s*select\b/i.test(s.sql);
      const explain = async (prefix: string, text: string, params: unknown[]) => {
        const [row] = await sql.unsafe<{ 'QUERY PLAN': unknown }[]>(`${prefix} ${text}`, params as never[]);
        return row?.['QUERY PLAN'];
      };
      // A write is explained, not run: EXPLAIN without ANALYZE executes nothing.
      const customJson = await explain(write ? 'explain (format json)' : 'explain (analyze, buffers, format json)', s.sql, s.params);
      const { relations, ...custom } = await summarize(customJson);
      let generic: PlanSummary | undefined;
      if (!write) {
        await sql.unsafe(`prepare bench_generic as ${s.sql}`).simple();
        try {
          await sql.unsafe('set plan_cache_mode = force_generic_plan').simple();
          const [row] = await sql
            .unsafe<{ 'QUERY PLAN': unknown }[]>(`explain (format json) execute bench_generic(${s.params.map(literal).join(', ')})`)
            .simple();
          const { relations: _r, ...g } = await summarize(row?.['QUERY PLAN']);
          generic = g;
        } finally {
          await sql.unsafe('reset plan_cache_mode').simple();
          await sql.unsafe('deallocate bench_generic').simple();
        }
      }
      plans.push({ sql: s.sql, tables: [...new Set(relations)], write, custom, ...(generic ? { generic } : {}) });
    }
  } finally {
    await sql.end({ timeout: 5 });
  }
  return plans;
}
