import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { relationshipsOf } from '../../../cluster/relationship.js';
import { DirectoryClient } from '../../../cluster/directoryClient.js';
import type { Directory } from '../../../cluster/directory.js';
import { generateKeyPair } from '../../../identity/keys.js';

const good = (): Directory => ({
  clusterId: 'c',
  audience: 'urn:dataspace:c',
  members: [
    { id: 'a', name: 'A', role: 'lead', tier: 0, sector: 's', endpoints: { firm: 'http://x/firm', links: 'http://x/links' }, issuer: 'urn:a', publicKeys: [generateKeyPair().publicKeyPem] },
  ],
  gateways: [{ id: 'main', issuer: 'urn:gw', publicKeys: [generateKeyPair().publicKeyPem] }],
  relationships: [],
});

describe('relationshipsOf', () => {
  const rels = [
    { supplier: 'b', customer: 'a' },
    { supplier: 'a', customer: 'c' },
  ];
  it('names every relationship of the caller to the owner', () => {
    expect(relationshipsOf(rels, 'a', 'a')).toEqual(['self']);
    expect(relationshipsOf(rels, 'a', 'b')).toEqual(['customer', 'any-customer', 'member']);
    expect(relationshipsOf(rels, 'b', 'a')).toEqual(['supplier', 'any-supplier', 'member']);
    expect(relationshipsOf(rels, 'c', 'b')).toEqual(['any-customer', 'member']);
  });
});

describe('DirectoryClient', () => {
  let close: (() => void) | undefined;
  afterEach(() => close?.());

  async function serve(bodies: unknown[]): Promise<string> {
    let i = 0;
    const server = createServer((_req, res) => {
      const body = bodies[Math.min(i++, bodies.length - 1)];
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    close = () => server.close();
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  it('keeps the last good directory when the registry serves a bad one', async () => {
    const first = good();
    const badKey = { ...good(), members: [{ ...first.members[0], publicKeys: ['not a key'] }] };
    const url = await serve([first, { members: 'nope' }, badKey]);
    const errors: Error[] = [];
    const client = new DirectoryClient({ registryUrl: url, refreshMs: 0, onError: (e) => errors.push(e) });
    await client.start();
    expect(client.current()?.members[0]?.id).toBe('a');
    await expect(client.refresh()).rejects.toThrow(/invalid directory: clusterId/);
    await expect(client.refresh()).rejects.toThrow();
    expect(client.current()).toEqual(first);
  });
});
