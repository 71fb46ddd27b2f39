/** A lead planner's genealogy walk: a finished lot, then three tiers of component lots below it. */
export const GENEALOGY_QUERY = /* GraphQL */ `
  query Genealogy($first: Int) {
    firm(id: "skyframe") {
      id
      lots(first: $first) {
        firmId lotId status quantity
        part { partNumber name unitCost }
        components {
          quantityUsed
          component { firmId lotId lot {
            firmId lotId status part { partNumber name unitCost }
            components { component { lot {
              firmId lotId status part { name }
              components { component { lot {
                firmId lotId status producedAt part { name }
                inspections { characteristic value result }
              } } }
            } } }
          } }
        }
      }
    }
  }
`;

/** Every lot of every member with its direct components: one entity fetch per owner and step. */
export const ALL_LOTS_QUERY = /* GraphQL */ `
  query AllLots($first: Int) {
    firms {
      id
      lots(first: $first) { lotId status components { component { lot { lotId status } } } }
    }
  }
`;

/** A recall impact with every part of its answer, from any firm (`$firm`, the caller's own). */
export const RECALL_QUERY = /* GraphQL */ `
  query Recall($firm: ID!, $lot: LotRefInput!, $direction: TraversalDirection, $depth: Int) {
    firm(id: $firm) {
      recallImpact(lot: $lot, direction: $direction, depth: $depth) {
        origin { firmId lotId }
        complete truncated steps
        lots { lot { firmId lotId } hops firmTier partId status via { firmId lotId } }
        endItems { firmId lotId }
        shipments { firmId shipmentId customerId order { firmId orderId } lots { firmId lotId } }
        orders { firmId orderId }
        counts { firmId firmTier lots shipments }
        tombstones { firmId firmTier hops step reasonCode message lots { firmId lotId } }
      }
    }
  }
`;
