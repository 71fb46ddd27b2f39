/**
 * "A 5 MB body sometimes gets a connection reset instead of the 413": the server answered
 * before the body had arrived and closed the connection, and the bytes still arriving made
 * its TCP stack reset it, destroying the 413. A client that writes its whole body before it
 * reads (what most simple HTTP clients do) lost the answer every time. Real servers on
 * port 0 (no database, no process), a real route reading its body with readBody.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readBody, startHttpServer, type GraphQLRoute, type RunningHttpServer } from '../../../http/startHttpServer.js';
import { postRequest, rawHttpClient, type RawResponse } from '../../harness/rawHttpClient.js';

const LIMIT = 1024 * 1024;
const FIVE_MB = Buffer.alloc(5 * 1024 * 1024, 'a');
const echo: GraphQLRoute = {
  path: '/echo',
  handle: async (req, res, _search, max) => {
    const text = await readBody(req, max);
    res.end(JSON.stringify({ length: text.length }));
  },
};

const codeOf = (r: RawResponse): unknown => (JSON.parse(r.body) as { errors?: { extensions: { code: string } }[] }).errors?.[0]?.extensions.code;

describe('a body over the limit: the client always reads the 413 REQUEST_TOO_LARGE', () => {
  let server: RunningHttpServer;
  let small: RunningHttpServer;
  beforeAll(async () => {
    server = await startHttpServer({ service: 'test', routes: [echo], maxBodyBytes: LIMIT });
    small = await startHttpServer({ service: 'test', routes: [echo], maxBodyBytes: 1024, maxDrainBytes: 64 * 1024 });
  });
  afterAll(async () => {
    await server?.close();
    await small?.close();
  });

  it('20 clients in a row that write a whole 5 MB body before reading, with content-length and chunked', async () => {
    for (let i = 0; i < 20; i += 1) {
      const client = await rawHttpClient(server.port);
      const response = await client.exchange(postRequest('/echo', FIVE_MB, { chunked: i % 2 === 1 }));
      expect([response.status, codeOf(response)]).toEqual([413, 'REQUEST_TOO_LARGE']);
      client.close();
    }
  });

  it('keeps the connection: ten 5 MB bodies in a row on one keep-alive connection, then a request that is answered', async () => {
    const client = await rawHttpClient(server.port);
    for (let i = 0; i < 10; i += 1) {
      const response = await client.exchange(postRequest('/echo', FIVE_MB, { chunked: i % 2 === 0 }));
      expect([response.status, codeOf(response)]).toEqual([413, 'REQUEST_TOO_LARGE']);
      expect(response.headers.connection).not.toBe('close');
    }
    const ok = await client.exchange(postRequest('/echo', Buffer.from('{"a":1}')));
    expect([ok.status, ok.body]).toEqual([200, '{"length":7}']);
    const health = await client.exchange('GET /health HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n');
    expect(health.status).toBe(200);
    client.close();
  });

  it('fetch (keep-alive), with content-length and with a streamed chunked body: 413 every time', async () => {
    for (let i = 0; i < 20; i += 1) {
      const chunked = i % 2 === 1;
      const body = chunked
        ? new ReadableStream<Uint8Array>({
            start(controller) {
              for (let at = 0; at < FIVE_MB.length; at += 65_536) controller.enqueue(FIVE_MB.subarray(at, at + 65_536));
              controller.close();
            },
          })
        : FIVE_MB;
      const init: RequestInit & { duplex: 'half' } = { method: 'POST', headers: { 'content-type': 'application/json' }, body, duplex: 'half' };
      const res = await fetch(`${server.url}/echo`, init);
      const json = (await res.json()) as { errors: { extensions: { code: string } }[] };
      expect([res.status, json.errors[0]?.extensions.code]).toEqual([413, 'REQUEST_TOO_LARGE']);
    }
  });

  it('still reads a body at the limit', async () => {
    const client = await rawHttpClient(server.port);
    const response = await client.exchange(postRequest('/echo', Buffer.alloc(LIMIT, 'b')));
    expect([response.status, response.body]).toEqual([200, `{"length":${LIMIT}}`]);
    client.close();
  });

  it('answers a body declared larger than it will drain at once, and closes the connection', async () => {
    const client = await rawHttpClient(small.port);
    // Only the headers are sent: the answer cannot wait for 5 MB past maxDrainBytes.
    const response = await client.exchange(`POST /echo HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-length: ${FIVE_MB.length}\r\n\r\n`);
    expect([response.status, codeOf(response), response.headers.connection]).toEqual([413, 'REQUEST_TOO_LARGE', 'close']);
    await client.closed;
  });

  it('drains a body larger than the limit but within maxDrainBytes before it answers', async () => {
    const client = await rawHttpClient(small.port);
    const response = await client.exchange(postRequest('/echo', Buffer.alloc(60 * 1024, 'c'), { chunked: true }));
    expect([response.status, codeOf(response)]).toEqual([413, 'REQUEST_TOO_LARGE']);
    expect(response.headers.connection).not.toBe('close');
    client.close();
  });
});
