import { readMetric } from '../../test/harness/graphqlClient.js';

/** What the metrics need of a cluster, in this process (RunningCluster) or in several (ProcessCluster). */
export interface ClusterView {
  registryUrl: string;
  firms: ReadonlyMap<string, { firmId: string; server?: { url: string } | undefined }>;
}

/** The sum over every firm of `dataspace_sql_statements_total`, read from their `GET /metrics`. */
export async function sqlStatementsTotal(cluster: ClusterView): Promise<number> {
  let total = 0;
  for (const firm of cluster.firms.values()) {
    if (!firm.server) throw new Error(`firm ${firm.firmId} is not running`);
    total += await readMetric(firm.server.url, 'dataspace_sql_statements_total');
  }
  return total;
}

/** Every URL prefix (origin + '/') a subgraph request of the cluster may go to: the registry and each firm. */
export function subgraphPrefixes(cluster: ClusterView): string[] {
  return [cluster.registryUrl, ...[...cluster.firms.values()].flatMap((f) => (f.server ? [f.server.url] : []))].map(
    (u) => `${new URL(u).origin}/`,
  );
}

/** Who serves a subgraph URL: 'registry', or `<firmId>/<subgraph>`. */
export function serviceOf(cluster: ClusterView, url: string): string {
  const { origin, pathname } = new URL(url);
  if (origin === new URL(cluster.registryUrl).origin) return 'registry';
  for (const f of cluster.firms.values()) if (f.server && origin === new URL(f.server.url).origin) return `${f.firmId}${pathname}`;
  return url;
}
