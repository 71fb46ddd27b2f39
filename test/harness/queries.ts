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
