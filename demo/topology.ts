import type { ClusterTopology } from '../cluster/directory.js';

/**
 * The demo cluster: an airframe maker and six partners in four tiers.
 *
 *   tier 0  skyframe   (lead, airframe)
 *   tier 1  structura  (structures)        avionix   (avionics)
 *   tier 2  precimach  (machining)         circuitra (PCB)
 *   tier 3  alumill    (aluminium mill)    cuprum    (copper foil and laminates)
 */
export const DEMO_TOPOLOGY: ClusterTopology = {
  clusterId: 'aero-cluster',
  members: [
    { id: 'skyframe', name: 'Skyframe Aircraft', role: 'lead', tier: 0, sector: 'airframe' },
    { id: 'structura', name: 'Structura Aerostructures', role: 'partner', tier: 1, sector: 'structures' },
    { id: 'avionix', name: 'Avionix Systems', role: 'partner', tier: 1, sector: 'avionics' },
    { id: 'precimach', name: 'Precimach Machining', role: 'partner', tier: 2, sector: 'machining' },
    { id: 'circuitra', name: 'Circuitra PCB', role: 'partner', tier: 2, sector: 'PCB' },
    { id: 'alumill', name: 'Alumill Rolling Mill', role: 'partner', tier: 3, sector: 'aluminium' },
    { id: 'cuprum', name: 'Cuprum Laminates', role: 'partner', tier: 3, sector: 'copper foil' },
  ],
  relationships: [
    { supplier: 'structura', customer: 'skyframe' },
    { supplier: 'avionix', customer: 'skyframe' },
    { supplier: 'precimach', customer: 'structura' },
    { supplier: 'circuitra', customer: 'avionix' },
    { supplier: 'alumill', customer: 'precimach' },
    { supplier: 'cuprum', customer: 'circuitra' },
    { supplier: 'precimach', customer: 'avionix' },
  ],
};
