import { GraphQLScalarType, Kind } from 'graphql';
import type { FirmContext } from './firmContext.js';
import { assertOwner, listEntities, loadEntity, loadOptionalEntity, loadRelated, rangeFilter } from './entityAccess.js';
import { ENTITY_TABLES } from './entityTables.js';
import { pageEntities, pageRelated } from './paging/pageEntities.js';
import type { Row } from './requestAccess.js';
import { componentsOf, lotsConsuming } from './traceability/lotUses.js';
import { recallImpact } from './traceability/recallImpact.js';
import { shipmentsCarrying } from './traceability/shipmentsCarrying.js';
import { supplyChainImpacted } from './traceability/supplyChainImpacted.js';

type Args = Record<string, unknown>;
type Resolver = (source: Row, args: Args, ctx: FirmContext) => unknown;
/** `__resolveReference(reference, context)`: @apollo/subgraph passes no arguments. */
type ReferenceResolver = (ref: Row, ctx: FirmContext) => unknown;
type FieldResolvers = Record<string, Resolver>;
type ObjectResolvers = FieldResolvers | (FieldResolvers & { __resolveReference: ReferenceResolver });
type ResolverMap = Record<string, ObjectResolvers | GraphQLScalarType>;

/** An entity's resolvers: how to resolve a reference to it, and its fields. */
function entity(resolveReference: ReferenceResolver, fields: FieldResolvers): ObjectResolvers {
  return { ...fields, __resolveReference: resolveReference } as ObjectResolvers;
}

/** The resolvers of a value type (no reference). */
function value(fields: FieldResolvers): ObjectResolvers {
  return fields;
}

const str = (v: unknown): string => String(v);

/** ISO-8601 date-times; rows carry Date objects. */
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

/** `__resolveReference` for a governed type: own rows only, under the caller's policy. */
function reference(type: string): ReferenceResolver {
  const idField = ENTITY_TABLES[type]?.idField ?? '';
  // async: a refusal must fail this representation only, not the whole `_entities` batch.
  return async (ref, ctx) => {
    assertOwner(ctx, type, ref.firmId);
    return loadEntity(ctx, type, str(ref[idField]));
  };
}

/**
 * The firm's entry-point lists: the governed type of each and its filter arguments. Each is
 * served twice alike, as a plain list (`lots(first, status, partId)`) and as a connection
 * (`lotsConnection(first, after, status, partId)`, docs/paging.md), by the same statement.
 */
const FIRM_LISTS: Readonly<Record<string, { type: string; filters: readonly string[]; range?: string }>> = {
  parts: { type: 'Part', filters: [] },
  lots: { type: 'Lot', filters: ['status', 'partId'] },
  purchaseOrders: { type: 'PurchaseOrder', filters: ['status'] },
  orderConfirmations: { type: 'OrderConfirmation', filters: [] },
  shipments: { type: 'Shipment', filters: ['status'] },
  inventory: { type: 'InventoryPosition', filters: [] },
  productionRuns: { type: 'ProductionRun', filters: ['status'] },
  qualityInspections: { type: 'QualityInspection', filters: ['result'] },
  sensorAnomalies: { type: 'SensorAnomaly', filters: [] },
  sensorReadings: { type: 'SensorReading', filters: ['machineId', 'metric'], range: 'at' },
};

/** `Firm.<list>` and `Firm.<list>Connection` for every entry of {@link FIRM_LISTS}. */
function firmLists(): FieldResolvers {
  return Object.fromEntries(
    Object.entries(FIRM_LISTS).flatMap(([name, { type, filters, range }]): [string, Resolver][] => {
      // `range` (an instant field) is filtered by the `from` / `to` arguments.
      const filtersOf = (a: Args, ctx: FirmContext) => ({
        ...Object.fromEntries(filters.map((f) => [f, a[f]])),
        ...(range ? { [range]: rangeFilter(ctx, a) } : {}),
      });
      return [
        [name, (_f, a, ctx) => listEntities(ctx, type, filtersOf(a, ctx), a.first)],
        [`${name}Connection`, (_f, a, ctx) => pageEntities(ctx, type, `Firm.${name}Connection`, filtersOf(a, ctx), a)],
      ];
    }),
  );
}

/**
 * Resolvers of the `firm` logical subgraph. They only load and shape rows; the owner's
 * policy is applied around them (row filters inside the loaders, field checks by
 * `enforcePolicy`), the same way for entry points and for `_entities`.
 */
export const firmResolvers: ResolverMap = {
  DateTime,
  Date: DateScalar,
  Firm: entity(
    async (ref, ctx) => {
      assertOwner(ctx, 'Firm', ref.id, 'id');
      return { id: ctx.firmId };
    },
    {
      ...firmLists(),
      part: (_f, a, ctx) => loadEntity(ctx, 'Part', str(a.partId)),
      lot: (_f, a, ctx) => loadEntity(ctx, 'Lot', str(a.lotId)),
      shipment: (_f, a, ctx) => loadEntity(ctx, 'Shipment', str(a.shipmentId)),
      lotsConsuming: (_f, a, ctx) => lotsConsuming(ctx, a.lots),
      componentsOf: (_f, a, ctx) => componentsOf(ctx, a.lots),
      recallImpact: (_f, a, ctx) => recallImpact(ctx, a),
      supplyChainImpacted: (_f, a, ctx) => supplyChainImpacted(ctx, a),
      shipmentsCarrying: (_f, a, ctx) => shipmentsCarrying(ctx, a.lots),
    },
  ),
  Part: entity(reference('Part'), {
    bom: (p, _a, ctx) => ctx.loaders.children('bomLines', 'partId', str(p.partId)),
    lots: (p, a, ctx) => loadRelated(ctx, 'Lot', 'partId', p.partId, a.first),
    lotsConnection: (p, a, ctx) => pageRelated(ctx, 'Lot', 'partId', p.partId, 'Part.lotsConnection', a),
    inventory: (p, _a, ctx) => loadRelated(ctx, 'InventoryPosition', 'partId', p.partId),
  }),
  BomLine: value({
    component: (l) => ({ firmId: l.componentFirmId, partId: l.componentPartId }),
  }),
  Lot: entity(reference('Lot'), {
    part: (l, _a, ctx) => loadOptionalEntity(ctx, 'Part', l.partId),
    components: (l, _a, ctx) => ctx.loaders.children('lotComponents', 'lotId', str(l.lotId)),
    inspections: (l, _a, ctx) => loadRelated(ctx, 'QualityInspection', 'lotId', l.lotId),
    productionRun: (l, _a, ctx) => loadOptionalEntity(ctx, 'ProductionRun', l.runId),
  }),
  LotUse: value({}),
  RecallImpact: value({}),
  ImpactedLot: value({}),
  ImpactedShipment: value({}),
  ImpactCount: value({}),
  Tombstone: value({}),
  ChainMembershipAnswer: value({}),
  LotComponent: value({
    component: (c) => ({ firmId: c.componentFirmId, lotId: c.componentLotId }),
  }),
  PurchaseOrder: entity(reference('PurchaseOrder'), {
    supplier: (o) => (o.supplierId ? { id: o.supplierId } : null),
    lines: (o, _a, ctx) => ctx.loaders.children('purchaseOrderLines', 'orderId', str(o.orderId)),
  }),
  PurchaseOrderLine: value({
    part: (l) => ({ firmId: l.partFirmId, partId: l.partId }),
  }),
  OrderConfirmation: entity(reference('OrderConfirmation'), {
    order: (c) => (c.orderId ? { firmId: c.buyerId, orderId: c.orderId } : null),
  }),
  Shipment: entity(reference('Shipment'), {
    customer: (s) => (s.customerId ? { id: s.customerId } : null),
    order: (s) => (s.orderId ? { firmId: s.customerId, orderId: s.orderId } : null),
    lots: (s, _a, ctx) => ctx.loaders.children('shipmentLots', 'shipmentId', str(s.shipmentId)),
  }),
  ShipmentLot: value({
    lot: (sl, _a, ctx) => loadOptionalEntity(ctx, 'Lot', sl.lotId),
  }),
  InventoryPosition: entity(reference('InventoryPosition'), {
    part: (i, _a, ctx) => loadOptionalEntity(ctx, 'Part', i.partId),
  }),
  ProductionRun: entity(reference('ProductionRun'), {
    part: (r, _a, ctx) => loadOptionalEntity(ctx, 'Part', r.partId),
    lot: (r, _a, ctx) => loadOptionalEntity(ctx, 'Lot', r.lotId),
    anomalies: (r, _a, ctx) => loadRelated(ctx, 'SensorAnomaly', 'runId', r.runId),
  }),
  QualityInspection: entity(reference('QualityInspection'), {
    lot: (q, _a, ctx) => loadOptionalEntity(ctx, 'Lot', q.lotId),
  }),
  SensorAnomaly: entity(reference('SensorAnomaly'), {
    productionRun: (s, _a, ctx) => loadOptionalEntity(ctx, 'ProductionRun', s.runId),
    lots: (s, _a, ctx) => loadRelated(ctx, 'Lot', 'runId', s.runId),
  }),
  SensorReading: entity(reference('SensorReading'), {
    productionRun: (r, _a, ctx) => loadOptionalEntity(ctx, 'ProductionRun', r.runId),
  }),
};

/** A reference answered by the owner of its target, refused by any other firm. */
function ownReference(type: string, ownerField: string): ReferenceResolver {
  return async (ref, ctx) => {
    assertOwner(ctx, type, ref[ownerField], ownerField);
    return ref;
  };
}

/**
 * Resolvers of the `links` logical subgraph: a reference is answered by the owner of its
 * target (the gateway routes it there), which refuses references to rows it does not own.
 */
export const linksResolvers: ResolverMap = {
  LotRef: entity(ownReference('LotRef', 'firmId'), {
    lot: (ref) => ({ firmId: ref.firmId, lotId: ref.lotId }),
  }),
  PartRef: entity(ownReference('PartRef', 'firmId'), {
    part: (ref) => ({ firmId: ref.firmId, partId: ref.partId }),
  }),
  PurchaseOrderRef: entity(ownReference('PurchaseOrderRef', 'firmId'), {
    order: (ref) => ({ firmId: ref.firmId, orderId: ref.orderId }),
  }),
  FirmRef: entity(ownReference('FirmRef', 'id'), {
    firm: (ref) => ({ id: ref.id }),
  }),
};
