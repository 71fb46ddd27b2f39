/** Queries the demo prints, and the README shows: each runs as a skyframe planner. */
export const EXAMPLE_QUERIES: { title: string; query: string }[] = [
  {
    title: 'The members of the cluster',
    query: '{ firms { id name role tier sector } }',
  },
  {
    title: "A finished lot's genealogy, four tiers down across four firms",
    query: `{
  firm(id: "skyframe") {
    lots(first: 1) {
      lotId status part { partNumber name }
      components { component { lot { firmId lotId part { name }
        components { component { lot { firmId lotId part { name }
          components { component { lot { firmId lotId status part { name } inspections { characteristic result } } } }
        } } }
      } } }
    }
  }
}`,
  },
  {
    title: 'What the tier-1 suppliers tell skyframe of their shipments and stock',
    query: `{
  firms(tier: 1) {
    id name
    shipments(first: 5) { shipmentId status eta customerId }
    inventory(first: 3) { partId onHand allocated }
  }
}`,
  },
];
