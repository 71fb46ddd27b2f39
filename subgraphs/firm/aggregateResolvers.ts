import type { AggregateFunction } from '../../policies/policyFile.js';
import { rollUpCells } from '../../policies/rollUpCells.js';
import { firmDataModel } from '../../schema/model.js';
import type { FirmContext } from './firmContext.js';
import { badInput, forbidden } from './firmErrors.js';
import { releasedCells } from './releasedCells.js';

const MODEL = firmDataModel();

interface MeasureInput {
  fn: string;
  field?: string | null;
}

/**
 * `Firm.aggregate`: statistics over a governed type where the owner's policy grants
 * aggregates only. Every answer is rolled up (`rollUpCells`) from the cells of the caller
 * firm's release table (`releaseTable`, policies/README.md), read by `releasedCells` in two
 * SQL statements: a cell smaller than k never leaves the database.
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
      const ask = { groupBy, measures };
      const { cells, suppressed } = await releasedCells(ctx.db, type, access, ask);
      const groups = rollUpCells(cells, ask);
      const described = measures.map((m) => `${m.fn}(${m.field ?? '*'})`).concat(groupBy.length ? [`by ${groupBy.join(',')}`] : []);
      ctx.reads.aggregate(type, described, groups.reduce((n, g) => n + g.count, 0), access.rules);
      return { type, minGroupSize: access.minGroupSize, groups, suppressedGroups: suppressed, rules: access.rules };
    },
  },
};
