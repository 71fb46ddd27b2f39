process.env.APOLLO_TELEMETRY_DISABLED = 'true';
import { startCluster } from '/work/main/cluster/startCluster.js';
import { demoClusterOptions } from '/work/main/demo/demoCluster.js';
import { postGraphQL } from '/work/main/test/harness/graphqlClient.js';
import { GENEALOGY_QUERY } from '/work/main/test/harness/queries.js';
const c = await startCluster({ ...demoClusterOptions(), dataDir: undefined, port: 0, seed: { seed: 42, lotsPerFirm: 40 } });
const r = await postGraphQL(c.gatewayUrl, GENEALOGY_QUERY, { token: c.token('skyframe'), variables: { first: 2 } });
for (const e of r.errors ?? []) console.log(e.message, JSON.stringify(e.path), JSON.stringify(e.extensions));
await c.stop();
