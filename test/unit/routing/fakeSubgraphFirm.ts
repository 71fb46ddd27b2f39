import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLSchema } from 'graphql';
import { subgraphSdl } from '../../../schema/supergraph.js';

// @apollo/subgraph is CommonJS and builds its schema with graphql's CommonJS build, while
// vitest hands ESM test code graphql's .mjs build: use the CommonJS one here too, so that
// the schema and the executor come from the same module.
const { GraphQLError, graphql, parse } = createRequire(import.meta.url)('graphql') as typeof import('graphql');

/** A lot of a fake firm: components point at lots of any firm. */
export interface FakeLot {
  lotId: string;
  quantity: number;
  components: Array<{ firmId: string; lotId: string }>;
  /** Simulates a policy denial of `quantity`. */
  denyQuantity?: boolean;
}

export interface FakeSubgraphFirm {
  firmId: string;
  /** Base URL; the subgraphs answer at `${base}/firm` and `${base}/links`. */
  base: string;
  /** Every representation received, by subgraph. */
  received: { firm: unknown[]; links: unknown[] };
  /** Every operation received, as sent. */
  operations: Array<{ subgraph: 'firm' | 'links'; query: string; variables: Record<string, unknown> }>;
  authorizations: string[];
  close(): Promise<void>;
}

interface Key {
  firmId: string;
  lotId: string;
}

function ownerMismatch(firmId: string, owner: unknown) {
  return new GraphQLError(`firm ${firmId} does not own ${String(owner)}'s data`, { extensions: { code: 'OWNER_MISMATCH' } });
}

function schemas(firmId: string, lots: readonly FakeLot[]): { firm: GraphQLSchema; links: GraphQLSchema } {
  const lotOf = (lotId: string): FakeLot | undefined => lots.find((l) => l.lotId === lotId);
  const firm = buildSubgraphSchema({
    typeDefs: parse(subgraphSdl('firm')),
    resolvers: {
      Firm: {
        __resolveReference: (ref: { id: string }) => {
          if (ref.id !== firmId) throw ownerMismatch(firmId, ref.id);
          return { id: firmId };
        },
        lots: () => lots.map((l) => ({ firmId, ...l })),
      },
      Mutation: {
        requestAccess: (_: unknown, args: { firmId: string; input: { types: string[]; fields: string[]; purpose: string; days: number } }) => {
          if (args.firmId !== firmId) throw ownerMismatch(firmId, args.firmId);
          return { requestId: `${firmId}-AR0001`, ownerId: firmId, requesterId: 'caller', requestedBy: 'caller', ...args.input, state: 'PENDING' };
        },
        revokeAgreement: (_: unknown, args: { firmId: string; agreementId: string }) => {
          if (args.firmId !== firmId) throw ownerMismatch(firmId, args.firmId);
          return { agreementId: args.agreementId, ownerId: firmId, state: 'REVOKED' };
        },
      },
      Lot: {
        __resolveReference: (ref: Key) => {
          if (ref.firmId !== firmId) throw ownerMismatch(firmId, ref.firmId);
          const lot = lotOf(ref.lotId);
          return lot ? { firmId, ...lot } : null;
        },
        quantity: (lot: FakeLot) => {
          if (lot.denyQuantity) throw new GraphQLError(`quantity of lot ${lot.lotId} is not shared`, { extensions: { code: 'FORBIDDEN' } });
          return lot.quantity;
        },
        components: (lot: FakeLot) => lot.components.map((component) => ({ component, quantityUsed: 1 })),
      },
    },
  });
  const links = buildSubgraphSchema({
    typeDefs: parse(subgraphSdl('links')),
    resolvers: {
      LotRef: {
        __resolveReference: (ref: Key) => {
          if (ref.firmId !== firmId) throw ownerMismatch(firmId, ref.firmId);
          return ref;
        },
        lot: (ref: Key) => ({ firmId: ref.firmId, lotId: ref.lotId }),
      },
    },
  });
  return { firm, links };
}

/**
 * A firm serving the real `firm` and `links` subgraph schemas over HTTP on port 0, from
 * in-memory lots; it refuses representations it does not own (OWNER_MISMATCH). Its
 * `requestAccess` and `revokeAgreement` mutations echo their input, and refuse another
 * firm's `firmId` (OWNER_MISMATCH).
 * @example const f = await startFakeSubgraphFirm('precimach', [{ lotId: 'P1', quantity: 5, components: [] }]);
 */
export async function startFakeSubgraphFirm(firmId: string, lots: readonly FakeLot[]): Promise<FakeSubgraphFirm> {
  const bySubgraph = schemas(firmId, lots);
  const received: FakeSubgraphFirm['received'] = { firm: [], links: [] };
  const operations: FakeSubgraphFirm['operations'] = [];
  const authorizations: string[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      void (async () => {
        const subgraph = req.url === '/links' ? 'links' : 'firm';
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
          query: string;
          variables?: Record<string, unknown>;
          operationName?: string;
        };
        operations.push({ subgraph, query: body.query, variables: body.variables ?? {} });
        for (const value of Object.values(body.variables ?? {})) {
          if (Array.isArray(value)) received[subgraph].push(...(value as unknown[]));
        }
        authorizations.push(String(req.headers['authorization']));
        const result = await graphql({
          schema: bySubgraph[subgraph],
          source: body.query,
          variableValues: body.variables ?? null,
          operationName: body.operationName ?? null,
        });
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(result));
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    firmId,
    base: `http://127.0.0.1:${port}`,
    received,
    operations,
    authorizations,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
