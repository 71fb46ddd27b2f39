import { GraphQLScalarType, Kind } from 'graphql';
import { ENTITY_TABLES } from '../../subgraphs/firm/entityTables.js';
import type { LakeLoaders, LakeRow } from './lakeLoaders.js';

/** What a lake resolver sees for one request: its loaders, nothing about the caller. */
export interface LakeContext {
  loaders: LakeLoaders;
}

type Args = Record<string, unknown>;
type Resolver = (source: LakeRow, args: Args, ctx: LakeContext) => unknown;
type ReferenceResolver = (ref: LakeRow, ctx: LakeContext) => unknown;
type FieldResolvers = Record<string, Resolver>;
type ObjectResolvers = FieldResolvers | (FieldResolvers & { __resolveReference: ReferenceResolver });
export type LakeResolverMap = Record<string, ObjectResolvers | GraphQLScalarType>;

const str = (v: unknown): string => String(v);

function entity(resolveReference: ReferenceResolver, fields: FieldResolvers): ObjectResolvers {
  return { ...fields, __resolveReference: resolveReference } as ObjectResolvers;
}

const DateTime = new GraphQLScalarType({
  name: 'DateTime',
  serialize: (v) => (v instanceof Date ? v.toISOString() : String(v)),
  parseValue: (v) => new Date(String(v)),
  parseLiteral: (ast) => (ast.kind === Kind.STRING ? new Date(ast.value) : null),
});

const DateScalar = new GraphQLScalarType({
  name: 'Date',
  serialize: (v) => (v instanceof Date ? v.toISOString().slice(0, 10) : String(v)),
  parseValue: (v) => String(v),
  parseLiteral: (ast) => (ast.kind === Kind.STRING ? ast.value : null),
});

/** `__resolveReference` of a data type: the row by its id, whoever owns it. */
function reference(type: string): ReferenceResolver {
  const idField = ENTITY_TABLES[type]?.idField ?? '';
  return (ref, ctx) => ctx.loaders.entity(type, str(ref[idField]));
}

const optional = (ctx: LakeContext, type: string, id: unknown): Promise<LakeRow | null> | null =>
  typeof id === 'string' ? ctx.loaders.entity(type, id) : null;

const related = async (ctx: LakeContext, type: string, field: string, key: unknown, first?: unknown): Promise<LakeRow[]> => {
  if (typeof key !== 'string') return [];
  const rows = await ctx.loaders.entitiesBy(type, field, key);
  return typeof first === 'number' ? rows.slice(0, first) : rows;
};

/**
 * The `firm` SDL served by the central lake for every firm's rows at once: the data fields
 * of the firm subgraph's resolvers (same loaders, same statements), with no token, no
 * policy, no owner check and no access log. Governance fields (catalog, agreements, access
 * log...) are not implemented: a lake has none.
 */
export const lakeFirmResolvers: LakeResolverMap = {
  DateTime,
  Date: DateScalar,
  Firm: entity((ref) => ({ id: ref.id }), {
    parts: (f, a, ctx) => ctx.loaders.list('Part', str(f.id), {}, a.first),
    part: (_f, a, ctx) => ctx.loaders.entity('Part', str(a.partId)),
    lots: (f, a, ctx) => ctx.loaders.list('Lot', str(f.id), { status: a.status, partId: a.partId }, a.first),
    lot: (_f, a, ctx) => ctx.loaders.entity('Lot', str(a.lotId)),
    purchaseOrders: (f, a, ctx) => ctx.loaders.list('PurchaseOrder', str(f.id), { status: a.status }, a.first),
    orderConfirmations: (f, a, ctx) => ctx.loaders.list('OrderConfirmation', str(f.id), {}, a.first),
    shipments: (f, a, ctx) => ctx.loaders.list('Shipment', str(f.id), { status: a.status }, a.first),
    inventory: (f, a, ctx) => ctx.loaders.list('InventoryPosition', str(f.id), {}, a.first),
    productionRuns: (f, a, ctx) => ctx.loaders.list('ProductionRun', str(f.id), { status: a.status }, a.first),
    qualityInspections: (f, a, ctx) => ctx.loaders.list('QualityInspection', str(f.id), { result: a.result }, a.first),
    sensorAnomalies: (f, a, ctx) => ctx.loaders.list('SensorAnomaly', str(f.id), {}, a.first),
  }),
  Part: entity(reference('Part'), {
    bom: (p, _a, ctx) => ctx.loaders.children('bomLines', 'partId', str(p.partId)),
    lots: (p, a, ctx) => related(ctx, 'Lot', 'partId', p.partId, a.first),
    inventory: (p, _a, ctx) => related(ctx, 'InventoryPosition', 'partId', p.partId),
  }),
  BomLine: { component: (l) => ({ firmId: l.componentFirmId, partId: l.componentPartId }) },
  Lot: entity(reference('Lot'), {
    part: (l, _a, ctx) => optional(ctx, 'Part', l.partId),
    components: (l, _a, ctx) => ctx.loaders.children('lotComponents', 'lotId', str(l.lotId)),
    inspections: (l, _a, ctx) => related(ctx, 'QualityInspection', 'lotId', l.lotId),
    productionRun: (l, _a, ctx) => optional(ctx, 'ProductionRun', l.runId),
  }),
  LotComponent: { component: (c) => ({ firmId: c.componentFirmId, lotId: c.componentLotId }) },
  PurchaseOrder: entity(reference('PurchaseOrder'), {
    supplier: (o) => (o.supplierId ? { id: o.supplierId } : null),
    lines: (o, _a, ctx) => ctx.loaders.children('purchaseOrderLines', 'orderId', str(o.orderId)),
  }),
  PurchaseOrderLine: { part: (l) => ({ firmId: l.partFirmId, partId: l.partId }) },
  OrderConfirmation: entity(reference('OrderConfirmation'), {
    order: (c) => (c.orderId ? { firmId: c.buyerId, orderId: c.orderId } : null),
  }),
  Shipment: entity(reference('Shipment'), {
    customer: (s) => (s.customerId ? { id: s.customerId } : null),
    order: (s) => (s.orderId ? { firmId: s.customerId, orderId: s.orderId } : null),
    lots: (s, _a, ctx) => ctx.loaders.children('shipmentLots', 'shipmentId', str(s.shipmentId)),
  }),
  ShipmentLot: { lot: (sl, _a, ctx) => optional(ctx, 'Lot', sl.lotId) },
  InventoryPosition: entity(reference('InventoryPosition'), {
    part: (i, _a, ctx) => optional(ctx, 'Part', i.partId),
  }),
  ProductionRun: entity(reference('ProductionRun'), {
    part: (r, _a, ctx) => optional(ctx, 'Part', r.partId),
    lot: (r, _a, ctx) => optional(ctx, 'Lot', r.lotId),
    anomalies: (r, _a, ctx) => related(ctx, 'SensorAnomaly', 'runId', r.runId),
  }),
  QualityInspection: entity(reference('QualityInspection'), {
    lot: (q, _a, ctx) => optional(ctx, 'Lot', q.lotId),
  }),
  SensorAnomaly: entity(reference('SensorAnomaly'), {
    productionRun: (s, _a, ctx) => optional(ctx, 'ProductionRun', s.runId),
  }),
};

/** The `links` SDL in the lake: a reference is its own key, whoever owns the target. */
export const lakeLinksResolvers: LakeResolverMap = {
  LotRef: entity((ref) => ref, { lot: (ref) => ({ firmId: ref.firmId, lotId: ref.lotId }) }),
  PartRef: entity((ref) => ref, { part: (ref) => ({ firmId: ref.firmId, partId: ref.partId }) }),
  PurchaseOrderRef: entity((ref) => ref, { order: (ref) => ({ firmId: ref.firmId, orderId: ref.orderId }) }),
  FirmRef: entity((ref) => ref, { firm: (ref) => ({ id: ref.id }) }),
};
