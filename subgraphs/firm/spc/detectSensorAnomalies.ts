import { DEFAULT_IN_CONTROL_POINTS, detect, inControl, SpcError, type SpcMethod } from '../../../spc/index.js';
import { existingKeys } from '../data/existingKeys.js';
import { SPC_METHODS } from '../db/statuses.js';
import { rangeFilter } from '../entityAccess.js';
import type { FirmContext } from '../firmContext.js';
import type { Row } from '../requestAccess.js';
import { commitWrite } from '../writeApi/commitWrite.js';
import { tableChangeView, type TableChangeView } from '../writeApi/tableChangeView.js';
import { validateWrite } from '../writeApi/validateWrite.js';
import { writeRefusal } from '../writeApi/writeRefusal.js';
import { anomalyRows } from './anomalyRows.js';
import { MAX_SERIES_POINTS, readSeries } from './readSeries.js';

/** The schema's `SensorAnomalyDetectionInput`, as GraphQL hands it over (DateTime parsed to Date). */
export interface DetectionInput {
  machineId?: unknown;
  metric?: unknown;
  method?: unknown;
  inControlPoints?: unknown;
  from?: unknown;
  to?: unknown;
}

/** The schema's `SensorAnomalyDetection`. */
export interface DetectionView {
  seq: number;
  method: SpcMethod;
  points: number;
  mean: number;
  sigma: number;
  anomalies: Promise<Row[]>;
  written: number;
  changes: TableChangeView[];
}

const isMethod = (v: unknown): v is SpcMethod => typeof v === 'string' && (SPC_METHODS as readonly string[]).includes(v);

function refuse(ctx: FirmContext, key: string, code: string, reason: string): never {
  throw writeRefusal(ctx.firmId, [{ key, code, reason }]);
}

/**
 * `detectSensorAnomalies` (docs/spc.md): reads one series of the firm's own readings in one
 * statement (readSeries), charts it with the method (spc/detect, μ and σ from the first
 * `inControlPoints` points), and writes every signal as a SensorAnomaly (anomalyRows: a
 * deterministic id, the signalling reading's run) through the write API's checks, in ONE
 * transaction with its write log entry (`operation: detectSensorAnomalies`). Running it again
 * on the same readings changes nothing (the same ids, the same values) and says so
 * (`written: 0`). Bad input is BAD_USER_INPUT naming `input.<field>` and a stable `problem`:
 * UNKNOWN_METHOD, MISSING_VALUE, WRONG_TYPE, an empty time range, TOO_MANY_POINTS, and the
 * statistics' own SPC_TOO_FEW_POINTS, SPC_ZERO_SIGMA, SPC_BAD_PARAMETER.
 * @example await detectSensorAnomalies(ctx, { machineId: 'circuitra-M11', metric: 'reflow oven peak temperature °C', method: 'EWMA', inControlPoints: 50 })
 */
export async function detectSensorAnomalies(ctx: FirmContext, input: DetectionInput): Promise<DetectionView> {
  const { machineId, metric, method } = input;
  if (typeof machineId !== 'string' || machineId === '') refuse(ctx, 'input.machineId', 'MISSING_VALUE', 'machineId is required');
  if (typeof metric !== 'string' || metric === '') refuse(ctx, 'input.metric', 'MISSING_VALUE', 'metric is required');
  if (!isMethod(method)) refuse(ctx, 'input.method', 'UNKNOWN_METHOD', `unknown method '${String(method)}' (expected one of ${SPC_METHODS.join(', ')})`);
  const n = input.inControlPoints ?? DEFAULT_IN_CONTROL_POINTS;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 2) refuse(ctx, 'input.inControlPoints', 'WRONG_TYPE', `inControlPoints must be an integer of at least 2 (got ${String(n)})`);
  const range = rangeFilter(ctx, input, { from: 'input.from', to: 'input.to' });

  const series = await readSeries(ctx, machineId, metric, range);
  if (series.points.length > MAX_SERIES_POINTS) {
    refuse(ctx, 'input', 'TOO_MANY_POINTS', `the series has more than ${MAX_SERIES_POINTS} readings: narrow it with from and to`);
  }
  let estimate: { mean: number; sigma: number };
  let signals: ReturnType<typeof detect>;
  try {
    estimate = inControl(series.points, n);
    signals = detect(method, series.points, n);
  } catch (error) {
    if (error instanceof SpcError) refuse(ctx, 'input.inControlPoints', error.code, `${machineId} / ${metric}: ${error.message}`);
    throw error;
  }

  const rows = anomalyRows({ firmId: ctx.firmId, machineId, metric, runIds: series.runIds }, signals);
  const detail = `${method} on ${machineId} / ${metric}: ${series.points.length} readings, ${signals.length} signals`;
  const record = { firmId: ctx.firmId, actor: ctx.access.caller, at: ctx.now, operation: 'detectSensorAnomalies', detail };
  let outcome: Awaited<ReturnType<typeof commitWrite>>;
  if (rows.length === 0) {
    outcome = await commitWrite(ctx.db, {}, record);
  } else {
    const checked = await validateWrite({ upsert: { sensorAnomalies: rows } }, ctx.firmId, (spec, keys) => existingKeys(ctx.db, spec, keys));
    if (!checked.ok) throw writeRefusal(ctx.firmId, checked.problems);
    outcome = await commitWrite(ctx.db, checked.changes, record);
  }
  const written = outcome.changes.find((c) => c.table === 'sensorAnomalies')?.upserted ?? 0;
  const ids = [...new Set(rows.map((r) => r.anomalyId))];
  return {
    seq: outcome.seq,
    method,
    points: series.points.length,
    mean: estimate.mean,
    sigma: estimate.sigma,
    // Read back under the caller's policy (one statement for all of them), as any SensorAnomaly.
    anomalies: Promise.all(ids.map((id) => ctx.loaders.entity('SensorAnomaly', id))).then((found) => found.flatMap((f) => ('row' in f ? [f.row] : []))),
    written,
    changes: outcome.changes.map(tableChangeView),
  };
}
