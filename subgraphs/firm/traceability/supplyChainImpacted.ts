import { and, inArray } from 'drizzle-orm';
import { tables } from '../db/tables.js';
import { assertOwner } from '../entityAccess.js';
import { badInput, forbidden } from '../firmErrors.js';
import type { FirmContext } from '../firmContext.js';
import type { GraphQLAnswer } from '../receipts/shipmentView.js';
import { combine, further, matchesTarget, UNKNOWN, yes, type ChainAnswer, type ChainTarget } from './chainAnswer.js';
import { lotKeys, type LotKey } from './lotUses.js';
import { MAX_TRAVERSAL_DEPTH, TRAVERSAL_BUDGET_MS } from './recallImpact.js';

/** What a firm keeps of its budget for its own answer after asking its suppliers. */
const ANSWER_MARGIN_MS = 300;
/** Below this, suppliers are not asked: their branches are UNKNOWN. */
const MIN_ASK_MS = 100;
/** The purpose a firm states when it asks its suppliers for itself. */
export const CHAIN_PURPOSE = 'traceability';

interface LotFacts {
  lotId: string;
  partId: string | null;
  status: string | null;
}

/** One question to a supplier: its lots, reached `hops` tiers below the asked lots. */
interface SupplierAsk {
  firmId: string;
  hops: number;
  lots: LotKey[];
}

function targetOf(ctx: FirmContext, value: unknown): ChainTarget {
  const t = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  if (typeof t.firmId !== 'string' || t.firmId === '') throw badInput(ctx.firmId, 'target.firmId must name a firm.');
  const lotIds = Array.isArray(t.lotIds) ? t.lotIds.map(String) : undefined;
  if (lotIds && (lotIds.length === 0 || lotIds.length > 1000)) throw badInput(ctx.firmId, 'target.lotIds must name 1 to 1000 lots when given.');
  return {
    firmId: t.firmId,
    ...(typeof t.partId === 'string' ? { partId: t.partId } : {}),
    ...(lotIds ? { lotIds } : {}),
    ...(typeof t.lotStatus === 'string' ? { lotStatus: t.lotStatus } : {}),
  };
}

function intArg(ctx: FirmContext, name: string, value: unknown, fallback: number, min: number, max: number): number {
  const v = value ?? fallback;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) throw badInput(ctx.firmId, `${name} must be an integer from ${min} to ${max}.`);
  return v;
}

const STEP_FIELDS = 'supplyChainImpacted(lots: $l{i}, target: $t, depth: $d{i}, budgetMs: $b) { answer hops }';

/** Asks every supplier its part in ONE gateway request, as this firm itself; a branch without an answer is UNKNOWN. */
async function askSuppliers(ctx: FirmContext, asks: readonly SupplierAsk[], target: ChainTarget, depth: number, remainingMs: number): Promise<ChainAnswer[]> {
  if (asks.length === 0) return [];
  if (!ctx.asFirm || remainingMs < MIN_ASK_MS) return asks.map(() => UNKNOWN);
  const params = ['$t: ChainTargetInput!', '$b: Int!'];
  const variables: Record<string, unknown> = { t: target, b: Math.max(1, Math.floor(remainingMs - ANSWER_MARGIN_MS)) };
  const fields = asks.map((ask, i) => {
    params.push(`$f${i}: ID!`, `$l${i}: [LotRefInput!]!`, `$d${i}: Int!`);
    Object.assign(variables, { [`f${i}`]: ask.firmId, [`l${i}`]: ask.lots, [`d${i}`]: depth - ask.hops });
    return `q${i}: firm(id: $f${i}) { ${STEP_FIELDS.replaceAll('{i}', String(i))} }`;
  });
  let answer: GraphQLAnswer;
  try {
    answer = await ctx.asFirm(CHAIN_PURPOSE)(`query SupplyChainImpactedStep(${params.join(', ')}) { ${fields.join(' ')} }`, variables, { deadlineMs: remainingMs });
  } catch {
    return asks.map(() => UNKNOWN);
  }
  const data = (typeof answer.data === 'object' && answer.data !== null ? answer.data : {}) as Record<string, { supplyChainImpacted?: { answer?: unknown; hops?: unknown } | null } | null>;
  return asks.map((ask, i) => {
    const a = data[`q${i}`]?.supplyChainImpacted;
    if (a?.answer === 'YES' && typeof a.hops === 'number' && Number.isInteger(a.hops) && a.hops >= 0) return yes(a.hops + ask.hops);
    if (a?.answer === 'NO') return { answer: 'NO', hops: null };
    return UNKNOWN;
  });
}

/**
 * `Firm.supplyChainImpacted(lots, target)` (ESS): is a lot of `target` anywhere in the chain of
 * the firm's own `lots`? The firm answers for its own subtree: its own lots and their own
 * components from its database, and each direct supplier's lots by asking that supplier AS
 * ITSELF (a firm token, purpose traceability) in one gateway request; the suppliers do the same.
 * It combines the answers (YES beats UNKNOWN beats NO, the nearest hit's hops) and passes up
 * only that: the asker learns no lot, supplier or quantity of the chain. Answered where the
 * owner's policy lets the caller ask about the lots (mode `membership`, or a read of
 * `components`); a lot it may not ask about, or a supplier that does not answer, is UNKNOWN.
 * Logged in the access log as `membership:<answer>` on Lot.
 * @example await supplyChainImpacted(ctx, { lots: [{ firmId: 'skyframe', lotId: 'skyframe-L0001' }], target: { firmId: 'alumill' } })
 */
export async function supplyChainImpacted(ctx: FirmContext, args: Record<string, unknown>): Promise<ChainAnswer> {
  const started = Date.now();
  const keys = lotKeys(ctx, args.lots);
  for (const k of keys) assertOwner(ctx, 'Lot', k.firmId);
  if (keys.length === 0) throw badInput(ctx.firmId, 'lots must name at least one lot.');
  const target = targetOf(ctx, args.target);
  const depth = intArg(ctx, 'depth', args.depth, 10, 0, MAX_TRAVERSAL_DEPTH);
  const budgetMs = intArg(ctx, 'budgetMs', args.budgetMs, TRAVERSAL_BUDGET_MS, 1, TRAVERSAL_BUDGET_MS);
  const condition = ctx.loaders.membershipCondition('Lot');
  if (condition === 'none') {
    ctx.reads.deniedType('Lot');
    throw forbidden(ctx.firmId, 'Lot', undefined, ctx.access.reason('Lot'));
  }
  const lots = tables.lots;
  const facts = { lotId: lots.lotId, partId: lots.partId, status: lots.status };
  const visible: LotFacts[] = await ctx.db.select(facts).from(lots).where(and(inArray(lots.lotId, keys.map((k) => k.lotId)), condition));
  const answers: ChainAnswer[] = visible.length < keys.length ? [UNKNOWN] : [];

  // The firm's own part of the subtree: its lots, and its own lots inside them, one statement a level.
  const seen = new Set(keys.map((k) => k.lotId));
  const asks = new Map<string, SupplierAsk>();
  let frontier = visible;
  for (let hops = 0; frontier.length > 0; hops++) {
    for (const lot of frontier) if (matchesTarget(ctx.firmId, lot, target)) answers.push(yes(hops));
    const lc = tables.lotComponents;
    const components = await ctx.db
      .select({ firmId: lc.componentFirmId, lotId: lc.componentLotId })
      .from(lc)
      .where(inArray(lc.lotId, frontier.map((l) => l.lotId)));
    if (hops >= depth) {
      if (components.length > 0) answers.push(UNKNOWN);
      break;
    }
    const own: string[] = [];
    for (const c of components) {
      if (c.firmId === ctx.firmId) {
        if (!seen.has(c.lotId)) own.push(c.lotId);
        seen.add(c.lotId);
        continue;
      }
      const id = `${c.firmId}\u0000${hops + 1}`;
      const ask = asks.get(id) ?? asks.set(id, { firmId: c.firmId, hops: hops + 1, lots: [] }).get(id);
      if (ask && !ask.lots.some((l) => l.lotId === c.lotId)) ask.lots.push({ firmId: c.firmId, lotId: c.lotId });
    }
    frontier = own.length > 0 ? await ctx.db.select(facts).from(lots).where(inArray(lots.lotId, own)) : [];
  }

  // Only a supplier branch that could hold a nearer hit than one already found is asked.
  const nearest = combine(answers);
  const worth = [...asks.values()].filter((a) => nearest.answer !== 'YES' || (nearest.hops ?? 0) > a.hops);
  answers.push(...(await askSuppliers(ctx, worth, target, depth, budgetMs - (Date.now() - started) - ANSWER_MARGIN_MS)));
  const result = combine(answers);
  const d = ctx.access.decision('Lot');
  const rules = [...d.memberships.map((m) => m.ruleId), ...d.grants.filter((g) => g.fields.has('components')).map((g) => g.ruleId)];
  ctx.reads.membership('Lot', result.answer, visible.length, rules);
  return result;
}
