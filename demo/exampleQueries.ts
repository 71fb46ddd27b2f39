/** Queries the demo prints, and the README shows: each runs as a skyframe planner unless it says otherwise. */
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
  {
    title: 'Why: what structura lets you see of its parts, rule by rule (and its catalog)',
    query: `{
  firm(id: "structura") {
    explainAccess(type: "Part") { fields { field allowed rules reason } rows }
    catalog { ruleId origin mode types purposes }
  }
}`,
  },
  {
    title: "Who read structura's data (as structura's admin: npx dataspace token --firm structura --role admin)",
    query: `{
  firm(id: "structura") {
    accessLog(first: 5) { seq at callerFirm purpose reads { type fields rows rules } deniedFields }
    accessLogVerification { ok entries firstBrokenSeq }
  }
}`,
  },
  {
    title: 'Recall impact of the defective plate lot at the tier-3 mill, up to the end items (as skyframe quality: --role quality)',
    query: `{
  firm(id: "skyframe") {
    recallImpact(lot: { firmId: "alumill", lotId: "alumill-L0005" }) {
      complete steps
      lots { lot { firmId lotId } hops firmTier }
      endItems { lotId }
      shipments { firmId shipmentId customerId order { orderId } }
      tombstones { firmId step reasonCode }
    }
  }
}`,
  },
  {
    title: 'Is the mill anywhere in end item skyframe-L0001? YES / NO / UNKNOWN, without opening the chain',
    query: `{
  firm(id: "skyframe") {
    supplyChainImpacted(lots: [{ firmId: "skyframe", lotId: "skyframe-L0001" }], target: { firmId: "alumill" }) { answer hops }
  }
}`,
  },
  {
    title: 'The running investigation and its progress down to tier 3 (as skyframe quality: --role quality)',
    query: `{
  firm(id: "skyframe") {
    qualityNotifications(side: OUTBOX) {
      notificationId kind receiverId title severity status lots { lotId }
      messages { firmId toStatus } progress { hops status }
    }
  }
}`,
  },
  {
    title: 'Chart the drifting reflow oven with EWMA at circuitra, each signal a SensorAnomaly with its run\'s lots (as circuitra quality: --firm circuitra --role quality)',
    query: `mutation {
  detectSensorAnomalies(firmId: "circuitra", input: {
    machineId: "circuitra-M11", metric: "reflow oven peak temperature °C", method: EWMA, inControlPoints: 50
  }) { points mean sigma written anomalies { rule detectedAt value threshold runId lots { lotId } } }
}`,
  },
];
