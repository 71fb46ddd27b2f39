import type { PublishedTerms } from '../../cluster/directory.js';
import { parseClusterTerms } from '../../policies/parseClusterTerms.js';
import type { ClusterTerms, PolicyRule } from '../../policies/policyFile.js';
import { describeRowFilter } from '../../policies/rowFilter.js';
import { firmDataModel } from '../../schema/model.js';

const MODEL = firmDataModel();
const parsed = new Map<string, ClusterTerms>();

/**
 * Parses and validates published terms (cached by version): the registry refuses terms
 * that do not validate, exactly as every member would.
 * @example parseTerms(publishTerms('cluster-terms.yaml'), 'cluster-terms.yaml')
 */
export function parseTerms(terms: PublishedTerms, file = 'cluster terms'): ClusterTerms {
  let t = parsed.get(terms.version);
  if (!t) {
    t = parseClusterTerms(terms.source, { file, model: MODEL, format: terms.format });
    parsed.set(terms.version, t);
  }
  return t;
}

function ruleView(r: PolicyRule) {
  return {
    id: r.id,
    description: r.description ?? null,
    effect: r.effect === 'deny' ? 'DENY' : 'PERMIT',
    relationships: r.who.relationship ?? [],
    roles: r.who.roles ?? [],
    types: r.types,
    fields: r.fields === '*' ? ['*'] : r.fields,
    purposes: r.purposes,
    rows: r.rows ? describeRowFilter(r.rows) : null,
  };
}

/** The GraphQL view of the cluster terms (`Query.clusterTerms`). */
export function termsView(terms: PublishedTerms | undefined) {
  if (!terms) return { version: 'none', purposes: [], baseline: [], prohibitions: [] };
  const t = parseTerms(terms);
  return {
    version: terms.version,
    purposes: t.purposes,
    baseline: t.rules.filter((r) => r.effect === 'permit').map(ruleView),
    prohibitions: t.rules.filter((r) => r.effect === 'deny').map(ruleView),
  };
}
