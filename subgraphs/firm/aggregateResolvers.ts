import { and, count, sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { AggregateFunction } from '../../policies/policyFile.js';
import { firmDataModel } from '../../schema/model.js';
import { columnOf, entityTable } from './entityTables.js';
import type { FirmContext } from './firmContext.js';
import { badInput, forbidden } from './firmErrors.js';
import { rowFilterSql } from './rowFilterSql.js';

const MODEL = firmDataModel();

interface MeasureInput {
  fn: string;
  field?: string | null;
}

const SQL_FN: Record<Exclude<AggregateFunction, 'count'>, (c: AnyPgColumn) => SQL> = {
  sum: (c) => sql`sum(${c})::float8`,
  avg: (c) => sql`avg(${c})::float8`,
  min: (c) => sql`min(${c})::float8`,
  max: (c) => sql`max(${c})::float8`,
};

/**
 * `Firm.aggregate`: statistics over a governed type where the owner's policy grants
 * aggregates only. The group-by, the row filter and the minimum group size all go into one
 * SQL statement (`HAVING count(*) >= k`): a group smaller than k never leaves the database;
 * a second statement counts the groups held back.
 */
export const aggregateResolvers = {
  Firm: {
    aggregate: async (_firm: unknown, args: Record<string, unknown>, ctx: FirmContext) => {
      const type = String(args.type);
      const governed = MODEL.types[type];
      if (!governed) throw badInput(ctx.firmId, `type: ${type} is not one of the governed types.`);
      const groupBy = Array.isArray(args.groupBy) ? args.groupBy.map(String) : [];
      const measures = (Array.isArray(args.measures) ? (args.measures as MeasureInput[]) : []).map((m) => ({
        fn: m.fn.toLowerCase() as AggregateFunction,
        ...(m.field ? { field: m.field } : {}),
      }));
      for (const f of [...groupBy, ...measures.flatMap((m) => (m.field ? [m.field] : []))]) {
        if (!governed.scalarFields.includes(f)) throw badInput(ctx.firmId, `${f} is not a scalar field of ${type}.`);
      }
      for (const m of measures) {
        if (m.fn !== 'count' && !m.field) throw badInput(ctx.firmId, `measures: ${m.fn.toUpperCase()} needs a field.`);
      }
      if (measures.length === 0) throw badInput(ctx.firmId, 'measures: ask for at least one measure.');

      const access = ctx.access.aggregate(type, { groupBy, measures });
      if (!access.allowed) {
        ctx.reads.deniedType(type);
        throw forbidden(ctx.firmId, type, undefined, access.reason);
      }
      const k = access.minGroupSize;
      const t = entityTable(type);
      const where = access.rowFilter === 'none' ? sql`false` : access.rowFilter === null ? undefined : rowFilterSql(t, access.rowFilter);
      const keys = groupBy.map((f) => columnOf(t, f));
      const selection: Record<string, SQL | AnyPgColumn> = { n: sql<number>`count(*)::int` };
      keys.forEach((c, i) => (selection[`k${i}`] = sql`${c}::text`));
      measures.forEach((m, i) => {
        selection[`m${i}`] = m.fn === 'count' ? sql`count(*)::float8` : SQL_FN[m.fn](columnOf(t, m.field ?? ''));
      });
      const grouped = ctx.db.select(selection).from(t.table).where(and(where)).groupBy(...keys);
      const rows = (await grouped.having(sql`count(*) >= ${k}`).orderBy(...keys)) as Record<string, unknown>[];
      const [small] = (await ctx.db
        .select({ n: count() })
        .from(ctx.db.select({ one: sql`1` }).from(t.table).where(and(where)).groupBy(...keys).having(sql`count(*) < ${k}`).as('small'))) as { n: number }[];

      const groups = rows.map((r) => ({
        key: groupBy.map((field, i) => ({ field, value: r[`k${i}`] === null ? null : String(r[`k${i}`]) })),
        count: Number(r.n),
        values: measures.map((_m, i) => (r[`m${i}`] === null ? null : Number(r[`m${i}`]))),
      }));
      const described = measures.map((m) => `${m.fn}(${m.field ?? '*'})`).concat(groupBy.length ? [`by ${groupBy.join(',')}`] : []);
      ctx.reads.aggregate(type, described, groups.reduce((n, g) => n + g.count, 0), access.rules);
      return { type, minGroupSize: k, groups, suppressedGroups: Number(small?.n ?? 0), rules: access.rules };
    },
  },
};
