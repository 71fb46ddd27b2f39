import { describe, expect, it } from 'vitest';
import { localLinks } from '../../../routing/localLinks.js';
import { subgraphSdl } from '../../../schema/supergraph.js';

describe('the links subgraph answered where the plan runs', () => {
  const links = localLinks(subgraphSdl('links'));

  it("turns each reference into its target's keys, in order, for every Ref type", async () => {
    const r = await links.execute({
      query: `query($representations: [_Any!]!) { _entities(representations: $representations) {
        ... on LotRef { lot { __typename firmId lotId } }
        ... on PartRef { part { firmId partId } }
        ... on PurchaseOrderRef { order { orderId } }
        ... on FirmRef { firm { __typename id } } } }`,
      variables: {
        representations: [
          { __typename: 'LotRef', firmId: 'precimach', lotId: 'precimach-L0001' },
          { __typename: 'PartRef', firmId: 'alumill', partId: 'alumill-P01' },
          { __typename: 'PurchaseOrderRef', firmId: 'skyframe', orderId: 'skyframe-PO0001' },
          { __typename: 'FirmRef', id: 'cuprum' },
        ],
      },
    });
    expect(r.errors).toBeUndefined();
    expect(r.data?._entities).toEqual([
      { lot: { __typename: 'Lot', firmId: 'precimach', lotId: 'precimach-L0001' } },
      { part: { firmId: 'alumill', partId: 'alumill-P01' } },
      { order: { orderId: 'skyframe-PO0001' } },
      { firm: { __typename: 'Firm', id: 'cuprum' } },
    ]);
  });

  it('answers a query it cannot run with an error, not a throw', async () => {
    const r = await links.execute({ query: '{ _entities(representations: [{ __typename: "Nope" }]) { __typename } }' });
    expect(r.errors?.[0]?.extensions?.code).toBe('LINKS_INVALID');
  });
});
