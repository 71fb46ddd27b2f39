import { and, eq, type SQL } from 'drizzle-orm';
import { tables } from '../db/tables.js';
import { entityTable } from '../entityTables.js';
import { filterForbidden, forbidden } from '../firmErrors.js';
import type { FirmContext } from '../firmContext.js';
import type { Row } from '../requestAccess.js';
import { capabilityGroups, type CapabilityView } from './capabilityGroups.js';

const TYPE = 'QualityInspection';
const FIELDS = ['characteristic', 'unit', 'lowerLimit', 'upperLimit', 'value'] as const;

/**
 * `Firm.processCapability(characteristic)` (docs/spc.md): Cpk per characteristic and limits
 * over the firm's quality inspections, from ONE statement under the caller's policy: its row
 * filter for QualityInspection and, for each field used, the rows where it may read that field
 * as stored (FORBIDDEN when no row is visible, FILTER_FORBIDDEN naming a field it may not
 * read). Every inspection used is recorded as a read of those fields in the access log.
 * @example await processCapability(ctx, 'skin thickness')
 */
export async function processCapability(ctx: FirmContext, characteristic: unknown): Promise<CapabilityView[]> {
  const t = entityTable(TYPE);
  const condition = ctx.loaders.rowCondition(TYPE, t);
  if (condition === 'none') {
    ctx.reads.deniedType(TYPE);
    throw forbidden(ctx.firmId, TYPE, undefined, ctx.access.reason(TYPE));
  }
  const q = tables.qualityInspections;
  const conditions: (SQL | undefined)[] = [condition];
  const rules = new Map<string, readonly string[]>();
  for (const field of FIELDS) {
    const f = ctx.access.filter(TYPE, field);
    if (!f.allowed) {
      ctx.reads.deniedField(TYPE, field);
      throw filterForbidden(ctx.firmId, TYPE, field, f.reason);
    }
    rules.set(field, f.rules);
    conditions.push(ctx.loaders.filterCondition(TYPE, field, t));
  }
  if (typeof characteristic === 'string') conditions.push(eq(q.characteristic, characteristic));
  const rows = (await ctx.db.select().from(q).where(and(...conditions)).orderBy(q.inspectionId)) as Row[];
  for (const row of rows) for (const field of FIELDS) ctx.reads.field(TYPE, field, row, rules.get(field) ?? []);
  return capabilityGroups(
    rows.map((r) => ({
      characteristic: String(r.characteristic),
      unit: typeof r.unit === 'string' ? r.unit : null,
      lowerLimit: Number(r.lowerLimit),
      upperLimit: Number(r.upperLimit),
      value: Number(r.value),
    })),
  );
}
