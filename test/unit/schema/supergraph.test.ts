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
      ['InventoryPosition', 'Lot', 'OrderConfirmation', 'Part', 'ProductionRun', 'PurchaseOrder', 'QualityInspection', 'SensorAnomaly', 'Shipment'].sort(),
    );
    for (const type of Object.values(model.types)) {
      expect(type.keyFields[0]).toBe('firmId');
      expect(type.keyFields).toHaveLength(2);
    }
  });

  it('makes every firm-served field nullable and never returns another firm entity directly', () => {
    const sdl = subgraphSdl('firm');
    // No non-null list or object field on a firm-served type, except key fields (ID!).
    const nonNull = [...sdl.matchAll(/^\s+(\w+)(\([^)]*\))?: ([\w[\]!]+)$/gm)].filter(([, , , t]) => t?.endsWith('!') && t !== 'ID!');
    expect(nonNull.map(([line]) => line?.trim())).toEqual([]);
  });
});
