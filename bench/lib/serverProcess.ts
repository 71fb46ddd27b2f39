/**
 * One server of a benchmark in its own process, as a deployment runs it: a firm subgraph
 * (the product's, on its own in-memory PGlite database, under its policy) or a plain
 * subgraph of the lake (one firm's rows or every firm's). Started by `spawnServer.ts`
 * with `fork`, driven over IPC:
 *
 *   parent → {type:'start', spec}      child seeds its database, starts the server → {type:'listening', url}
 *   parent → {type:'directory'}        (firm) fetches the directory from the registry → {type:'ready'}
 *   parent → {type:'stats'}            → {type:'stats', statements, counts}
 *   parent → {type:'stop'}             closes everything and exits 0
 *
 *   node bin/run.mjs bench/lib/serverProcess.ts      (never by hand: see spawnServer.ts)
 */
process.env.APOLLO_TELEMETRY_DISABLED = 'true';

import { DirectoryClient } from '../../cluster/directoryClient.js';
import { generateCluster } from '../../seed/generateCluster.js';
import { insertFirmSeed } from '../../seed/insertSeed.js';
import { openFirmDatabase, type FirmDatabase } from '../../subgraphs/firm/db/openFirmDatabase.js';
import { publishPolicy } from '../../subgraphs/firm/publishedPolicy.js';
import { startFirmSubgraph } from '../../subgraphs/firm/startFirmSubgraph.js';
import { startPlainSubgraph, type LakeRequestCounts } from '../lake/plainSubgraph.js';
import type { ChildMessage, ParentMessage, ServerSpec } from './serverProtocol.js';

function send(message: ChildMessage): void {
  process.send?.(message);
}

interface Running {
  database: FirmDatabase;
  directory?: DirectoryClient;
  counts: LakeRequestCounts;
  ready(): Promise<void>;
  close(): Promise<void>;
}

async function start(spec: ServerSpec): Promise<Running> {
  const seed = generateCluster(spec.topology, spec.seed);
  const database = await openFirmDatabase({});
  for (const id of spec.firmIds) {
    const firmSeed = seed.firms[id];
    if (firmSeed) await insertFirmSeed(database.db, firmSeed);
  }
  const counts: LakeRequestCounts = { registry: 0, firm: 0, links: 0 };
  if (spec.kind === 'plain') {
    const server = await startPlainSubgraph(`plain:${spec.firmIds.join('+')}`, database, counts);
    send({ type: 'listening', url: server.url });
    return { database, counts, ready: async () => {}, close: () => server.close() };
  }
  const firmId = spec.firmIds[0] ?? '';
  const directory = new DirectoryClient({
    registryUrl: spec.registryUrl,
    refreshMs: 10_000,
    operatorPublicKeys: [spec.operatorPublicKeyPem],
    reader: { kind: 'firm', id: firmId, privateKeyPem: spec.serviceKeyPem },
  });
  const server = await startFirmSubgraph({
    firmId,
    database,
    policy: publishPolicy(firmId, spec.policyFile),
    directory,
    ...(spec.accessLog === false ? { accessLog: false } : {}),
    log: () => {},
    limits: spec.limits,
    serviceKey: spec.serviceKeyPem,
  });
  send({ type: 'listening', url: server.url });
  return {
    database,
    directory,
    counts,
    async ready() {
      await directory.start(30_000);
      const current = directory.current();
      if (current) server.policy.inForce(current);
    },
    close: () => server.close(),
  };
}

let running: Running | undefined;

process.on('message', (raw) => {
  const message = raw as ParentMessage;
  void (async () => {
    try {
      if (message.type === 'start') running = await start(message.spec);
      else if (message.type === 'directory') {
        await running?.ready();
        send({ type: 'ready' });
      } else if (message.type === 'stats') {
        send({ type: 'stats', statements: running?.database.statements() ?? 0, counts: running?.counts ?? { registry: 0, firm: 0, links: 0 } });
      } else if (message.type === 'stop') {
        running?.directory?.stop();
        await running?.close();
        await running?.database.close();
        process.exit(0);
      }
    } catch (error) {
      send({ type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    }
  })();
});
process.on('disconnect', () => process.exit(0));
