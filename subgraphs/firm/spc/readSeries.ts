import { and, asc, eq, gte, lt, type SQL } from 'drizzle-orm';
import type { SpcPoint } from '../../../spc/index.js';
import { tables } from '../db/tables.js';
import type { RangeFilter } from '../entityAccess.js';
import { entityTable } from '../entityTables.js';
import { filterForbidden, forbidden } from '../firmErrors.js';
import type { FirmContext } from '../firmContext.js';

/** Most readings one detection charts; a longer series is refused (narrow `from` / `to`). */
export const MAX_SERIES_POINTS = 50_000;

/** One series as read: its points in time order and the run of each. */
export interface StoredSeries {
  points: SpcPoint[];
  runIds: (string | null)[];
}

const TYPE = 'SensorReading';

/**
 * Reads one sensor series (machine, metric, an optional half-open time range) in ONE
 * statement on the (machine_id, metric, at) index, in time order, under the caller's policy:
 * its row filter for SensorReading, and the rows where it may read the fields filtered on
 * and charted (FORBIDDEN / FILTER_FORBIDDEN otherwise). At most {@link MAX_SERIES_POINTS} + 1
 * rows are fetched, so that a caller can tell the series was too long.
 * @example const { points, runIds } = await readSeries(ctx, 'circuitra-M11', 'reflow oven peak temperature °C', undefined);
 */
export async function readSeries(ctx: FirmContext, machineId: string, metric: string, range: RangeFilter | undefined): Promise<StoredSeries> {
  const t = entityTable(TYPE);
  const condition = ctx.loaders.rowCondition(TYPE, t);
  if (condition === 'none') {
    ctx.reads.deniedType(TYPE);
    throw forbidden(ctx.firmId, TYPE, undefined, ctx.access.reason(TYPE));
  }
  const r = tables.sensorReadings;
  const conditions: (SQL | undefined)[] = [condition, eq(r.machineId, machineId), eq(r.metric, metric)];
  if (range?.from) conditions.push(gte(r.at, range.from));
  if (range?.to) conditions.push(lt(r.at, range.to));
  for (const field of ['machineId', 'metric', 'at', 'value', 'runId']) {
    const f = ctx.access.filter(TYPE, field);
    if (!f.allowed) {
      ctx.reads.deniedField(TYPE, field);
      throw filterForbidden(ctx.firmId, TYPE, field, f.reason);
    }
    conditions.push(ctx.loaders.filterCondition(TYPE, field, t));
  }
  const rows = await ctx.db
    .select({ at: r.at, value: r.value, runId: r.runId })
    .from(r)
    .where(and(...conditions))
    .orderBy(asc(r.at), asc(r.readingId))
    .limit(MAX_SERIES_POINTS + 1);
  return { points: rows.map((row) => ({ time: row.at.toISOString(), value: row.value })), runIds: rows.map((row) => row.runId) };
}
