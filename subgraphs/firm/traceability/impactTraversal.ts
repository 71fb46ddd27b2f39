import type { GatewayQuery } from '../receipts/gatewayQuery.js';
import { readStep, stepQuery, type Direction, type StepAnswer, type StepAsk, type StepKind, type StepShipment } from './impactStep.js';
import type { LotKey } from './lotUses.js';

/** What a traversal needs of the cluster: the tiers and who supplies whom (the directory's). */
export interface TraversalCluster {
  tierOf(firmId: string): number | undefined;
  /** The firms the directory lists as customers of `firmId`: the only ones that can have consumed its lots. */
  customersOf(firmId: string): readonly string[];
}

export interface TraversalInput {
  origin: LotKey;
  direction: Direction;
  /** Steps at most (tiers walked from the origin). */
  depth: number;
  cluster: TraversalCluster;
  /** The gateway, asked with the caller's own token. */
  ask: GatewayQuery;
  /** The instant (ms) by which the traversal must have its answer; each step is asked with what remains. */
  deadlineAt: number;
  now: () => number;
}

export interface ImpactedLotResult {
  lot: LotKey;
  hops: number;
  firmTier: number | null;
  partId: string | null;
  status: string | null;
  via: LotKey[];
}

export interface TombstoneResult {
  firmId: string;
  firmTier: number | null;
  hops: number;
  step: StepKind;
  reasonCode: string;
  message: string;
  lots: LotKey[];
}

export interface ImpactResult {
  origin: LotKey;
  direction: Direction;
  depth: number;
  complete: boolean;
  truncated: boolean;
  lots: ImpactedLotResult[];
  endItems: LotKey[];
  shipments: (StepShipment & { lots: LotKey[] })[];
  orders: { firmId: string; orderId: string }[];
  counts: { firmId: string; firmTier: number | null; lots: number; shipments: number }[];
  tombstones: TombstoneResult[];
  steps: number;
}

/** The least time a step is given; below it the step is not sent and its firms are tombstones. */
const MIN_STEP_MS = 100;
/** What the traversal keeps for itself after a step (assembling and returning the answer). */
const RETURN_MARGIN_MS = 150;

const idOf = (l: LotKey): string => `${l.firmId}\u0000${l.lotId}`;

function groupByFirm(lots: readonly LotKey[]): Map<string, LotKey[]> {
  const out = new Map<string, LotKey[]>();
  for (const l of lots) out.set(l.firmId, [...(out.get(l.firmId) ?? []), l]);
  return out;
}

/**
 * The questions of one step: the shipments of the frontier's lots at their owners, and (when
 * `expand`) the next tier: UPWARD each customer of a frontier owner is asked which of its lots
 * consumed that owner's frontier lots; DOWNWARD each frontier owner what is inside its lots.
 */
function stepAsks(direction: Direction, frontier: readonly LotKey[], expand: boolean, cluster: TraversalCluster): StepAsk[] {
  const byOwner = groupByFirm(frontier);
  const asks: StepAsk[] = [...byOwner].map(([firmId, lots]) => ({ firmId, kind: 'SHIPMENTS', lots }));
  if (!expand) return asks;
  if (direction === 'DOWNWARD') return [...asks, ...[...byOwner].map(([firmId, lots]): StepAsk => ({ firmId, kind: 'LOTS', lots }))];
  const byConsumer = new Map<string, LotKey[]>();
  for (const [owner, lots] of byOwner)
    for (const customer of cluster.customersOf(owner)) byConsumer.set(customer, [...(byConsumer.get(customer) ?? []), ...lots]);
  return [...asks, ...[...byConsumer].map(([firmId, lots]): StepAsk => ({ firmId, kind: 'LOTS', lots }))];
}

/**
 * Recall impact: walks the lot genealogy from `origin` one tier per step, each step ONE gateway
 * request (with the caller's token) whatever the lots, so that the cost grows with the tiers and
 * the owners, not the rows. A lot reached twice is reported once (its `via` lists each way in),
 * which also ends cycles; a question that failed is a tombstone and its lots' branch unknown.
 * Pure apart from the injected `ask` and clock.
 * @example await traverseImpact({ origin, direction: 'UPWARD', depth: 10, cluster, ask: ctx.gateway, deadlineAt: Date.now() + 4000, now: Date.now })
 */
export async function traverseImpact(input: TraversalInput): Promise<ImpactResult> {
  const { origin, direction, depth, cluster } = input;
  const tier = (firmId: string): number | null => cluster.tierOf(firmId) ?? null;
  const lots = new Map<string, ImpactedLotResult>([[idOf(origin), { lot: origin, hops: 0, firmTier: tier(origin.firmId), partId: null, status: null, via: [] }]]);
  const shipments = new Map<string, StepShipment>();
  const tombstones: TombstoneResult[] = [];
  /** Lots whose next tier was fully answered and found nothing. */
  const ends = new Set<string>();
  let frontier: LotKey[] = [origin];
  let truncated = false;
  let steps = 0;

  for (let hops = 0; frontier.length > 0; hops++) {
    const expand = hops < depth;
    const asks = stepAsks(direction, frontier, expand, cluster);
    if (!expand && (direction === 'DOWNWARD' || frontier.some((l) => cluster.customersOf(l.firmId).length > 0))) truncated = true;
    const answers = await askStep(input, direction, asks);
    steps++;
    const next: LotKey[] = [];
    const reached = new Set<string>();
    const failedLots = new Set<string>();
    for (const answer of answers) {
      if (answer.kind === 'failed') {
        tombstones.push({ firmId: answer.ask.firmId, firmTier: tier(answer.ask.firmId), hops, step: answer.ask.kind, reasonCode: answer.code, message: answer.message, lots: answer.ask.lots });
        if (answer.ask.kind === 'LOTS') for (const l of answer.ask.lots) failedLots.add(idOf(l));
        continue;
      }
      if (answer.kind === 'shipments') {
        for (const s of answer.shipments) {
          const id = `${s.firmId}\u0000${s.shipmentId}`;
          const known = shipments.get(id);
          shipments.set(id, known ? { ...known, lots: uniqueLots([...known.lots, ...s.lots]) } : s);
        }
        continue;
      }
      for (const use of answer.uses) {
        const found: LotKey = direction === 'UPWARD' ? { firmId: use.lot.firmId, lotId: use.lot.lotId } : use.component;
        const from: LotKey = direction === 'UPWARD' ? use.component : { firmId: use.lot.firmId, lotId: use.lot.lotId };
        reached.add(idOf(from));
        // The answering firm's own lot: its details are what its owner let the caller read.
        const ownLot = lots.get(idOf(use.lot));
        if (ownLot) Object.assign(ownLot, { partId: ownLot.partId ?? use.lot.partId, status: ownLot.status ?? use.lot.status });
        const known = lots.get(idOf(found));
        if (known) {
          if (!known.via.some((v) => idOf(v) === idOf(from))) known.via.push(from);
          continue;
        }
        const detail = direction === 'UPWARD' ? { partId: use.lot.partId, status: use.lot.status } : { partId: null, status: null };
        lots.set(idOf(found), { lot: found, hops: hops + 1, firmTier: tier(found.firmId), ...detail, via: [from] });
        next.push(found);
      }
    }
    if (expand) for (const l of frontier) if (!reached.has(idOf(l)) && !failedLots.has(idOf(l))) ends.add(idOf(l));
    frontier = next;
  }

  const shipmentList = [...shipments.values()];
  const orders = new Map<string, { firmId: string; orderId: string }>();
  for (const s of shipmentList) if (s.order) orders.set(`${s.order.firmId}\u0000${s.order.orderId}`, s.order);
  const counts = new Map<string, { firmId: string; firmTier: number | null; lots: number; shipments: number }>();
  const count = (firmId: string) => counts.get(firmId) ?? counts.set(firmId, { firmId, firmTier: tier(firmId), lots: 0, shipments: 0 }).get(firmId)!;
  for (const l of lots.values()) count(l.lot.firmId).lots++;
  for (const s of shipmentList) count(s.firmId).shipments++;
  const lotList = [...lots.values()];
  return {
    origin,
    direction,
    depth,
    complete: tombstones.length === 0 && !truncated,
    truncated,
    lots: lotList,
    endItems: lotList.filter((l) => ends.has(idOf(l.lot))).map((l) => l.lot),
    shipments: shipmentList,
    orders: [...orders.values()],
    counts: [...counts.values()].sort((a, b) => (a.firmTier ?? 99) - (b.firmTier ?? 99) || a.firmId.localeCompare(b.firmId)),
    tombstones,
    steps,
  };
}

function uniqueLots(list: readonly LotKey[]): LotKey[] {
  const seen = new Map<string, LotKey>();
  for (const l of list) seen.set(idOf(l), l);
  return [...seen.values()];
}

/** One step through the gateway, within what remains of the deadline; a gateway that cannot be asked fails every question. */
async function askStep(input: TraversalInput, direction: Direction, asks: readonly StepAsk[]): Promise<StepAnswer[]> {
  const remaining = input.deadlineAt - input.now() - RETURN_MARGIN_MS;
  const fail = (code: string, message: string): StepAnswer[] => asks.map((ask) => ({ ask, kind: 'failed', code, message }));
  if (remaining < MIN_STEP_MS) return fail('REQUEST_TIMEOUT', 'the traversal ran out of time before this step');
  const { query, variables } = stepQuery(direction, asks);
  try {
    return readStep(direction, asks, await input.ask(query, variables, { deadlineMs: remaining }));
  } catch (error) {
    return fail('GATEWAY_UNAVAILABLE', `the gateway could not be asked: ${error instanceof Error ? error.message : String(error)}`);
  }
}
