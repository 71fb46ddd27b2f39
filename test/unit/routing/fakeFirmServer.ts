import { createServer } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What a fake firm received in one request. */
export interface ReceivedRequest {
  path: string;
  headers: IncomingHttpHeaders;
  body: { query: string; variables?: Record<string, unknown>; operationName?: string };
}

/** How a fake firm answers: status, body text, and optional delays (before headers, before body). */
export interface FakeAnswer {
  status?: number;
  body: string;
  delayMs?: number;
  bodyDelayMs?: number;
}

export interface FakeFirmServer {
  url: string;
  received: ReceivedRequest[];
  close(): Promise<void>;
}

/**
 * A real HTTP server on port 0 standing in for a firm's subgraph endpoint.
 * @example const firm = await startFakeFirmServer((req) => ({ body: JSON.stringify({ data: {} }) }));
 */
export async function startFakeFirmServer(answer: (request: ReceivedRequest) => FakeAnswer | Promise<FakeAnswer>): Promise<FakeFirmServer> {
  const received: ReceivedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      void (async () => {
        const request: ReceivedRequest = {
          path: req.url ?? '/',
          headers: req.headers,
          body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as ReceivedRequest['body'],
        };
        received.push(request);
        const { status = 200, body, delayMs = 0, bodyDelayMs = 0 } = await answer(request);
        await sleep(delayMs);
        res.writeHead(status, { 'content-type': 'application/json' });
        res.flushHeaders();
        await sleep(bodyDelayMs);
        if (!res.destroyed) res.end(body);
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** An `_entities` answer that echoes each representation: `name` = firmId + lotId. */
export function echoEntities(request: ReceivedRequest): string {
  const reps = (request.body.variables?.['representations'] ?? []) as Array<Record<string, string>>;
  return JSON.stringify({ data: { _entities: reps.map((r) => ({ ...r, name: `${r['firmId']}${r['lotId']}` })) } });
}

export function sleep(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}
