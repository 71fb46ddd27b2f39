import { Kind, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { composeSupergraph, readSupergraph } from '../../../schema/supergraph.js';
import { dataModelFromSdl } from '../../../schema/model.js';
import { subgraphSdl } from '../../../schema/supergraph.js';

describe('schema contract', () => {
  it('the committed supergraph is what the subgraph SDL composes to (run `npm run compose` when this fails)', () => {
    expect(readSupergraph()).toBe(composeSupergraph());
  });

  it('puts the owner in the key of every firm-served entity', () => {
    const model = dataModelFromSdl(subgraphSdl('firm'));
    expect(Object.keys(model.types).sort()).toEqual(
      ['InventoryPosition', 'Lot', 'OrderConfirmation', 'Part', 'ProductionRun', 'PurchaseOrder', 'QualityInspection', 'SensorAnomaly', 'SensorReading', 'Shipment'].sort(),
    );
    for (const type of Object.values(model.types)) {
      expect(type.keyFields[0]).toBe('firmId');
      expect(type.keyFields).toHaveLength(2);
    }
  });

  it('makes every firm-served field nullable: entry points, entity fields and mutations', () => {
    const doc = parse(subgraphSdl('firm'));
    const model = dataModelFromSdl(subgraphSdl('firm'));
    const servedTypes = new Set(['Firm', 'Mutation', ...Object.keys(model.types)]);
    const nonNull: string[] = [];
    for (const def of doc.definitions) {
      if (def.kind !== Kind.OBJECT_TYPE_DEFINITION || !servedTypes.has(def.name.value)) continue;
      const keys = new Set(model.types[def.name.value]?.keyFields ?? ['id']);
      for (const field of def.fields ?? []) {
        if (field.type.kind === Kind.NON_NULL_TYPE && !keys.has(field.name.value)) nonNull.push(`${def.name.value}.${field.name.value}`);
      }
    }
    expect(nonNull).toEqual([]);
  });
});
