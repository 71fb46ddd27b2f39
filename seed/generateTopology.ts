import type { ClusterTopology, MemberProfile } from '../cluster/directory.js';

const SECTORS = ['structures', 'avionics', 'machining', 'PCB', 'aluminium', 'copper foil', 'composites', 'fasteners', 'wiring harness', 'paint'];

/**
 * A generated cluster shape for benchmarks and scale tests: one lead (`lead`, tier 0) and
 * `firms - 1` partners (`firm-1`…) spread over tiers 1..tiers-1, each supplying one or two
 * customers one tier up. Deterministic.
 * @example generateTopology({ firms: 30, tiers: 5 }).members.length // 30
 */
export function generateTopology(options: { firms: number; tiers: number; clusterId?: string }): ClusterTopology {
  const { firms, tiers } = options;
  if (!Number.isInteger(firms) || firms < 2) throw new Error('generateTopology: firms must be an integer ≥ 2');
  if (!Number.isInteger(tiers) || tiers < 2 || tiers > firms) throw new Error('generateTopology: tiers must be an integer from 2 to firms');
  const members: MemberProfile[] = [{ id: 'lead', name: 'Lead', role: 'lead', tier: 0, sector: 'airframe' }];
  for (let i = 1; i < firms; i++) {
    members.push({ id: `firm-${i}`, name: `Firm ${i}`, role: 'partner', tier: 1 + ((i - 1) % (tiers - 1)), sector: SECTORS[i % SECTORS.length] ?? 'parts' });
  }
  const relationships = members.flatMap((m, i) => {
    const above = members.filter((c) => c.tier === m.tier - 1);
    const first = above[i % Math.max(1, above.length)];
    const second = above[(i + 1) % Math.max(1, above.length)];
    const customers = new Set([first, ...(i % 3 === 0 ? [second] : [])]);
    return [...customers].filter((c): c is MemberProfile => c !== undefined).map((c) => ({ supplier: m.id, customer: c.id }));
  });
  return { clusterId: options.clusterId ?? 'bench', members, relationships };
}
