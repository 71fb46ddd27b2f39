import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { relationshipsOf } from '../../../cluster/relationship.js';
import { DirectoryClient, type DirectoryClientOptions } from '../../../cluster/directoryClient.js';
import type { Directory } from '../../../cluster/directory.js';
import { signDirectory } from '../../../cluster/directoryDocument.js';
import { directoryAudience, verifyDirectoryReaderToken } from '../../../identity/directoryReaderToken.js';
import { keyId } from '../../../identity/keyId.js';
import { generateKeyPair } from '../../../identity/keys.js';
import { bearerToken } from '../../../identity/userToken.js';

const good = (): Directory => ({
  clusterId: 'c',
  audience: 'urn:dataspace:c',
  members: [
    { id: 'a', name: 'A', role: 'lead', tier: 0, sector: 's', endpoints: { firm: 'http://x/firm', links: 'http://x/links' }, issuer: 'urn:a', publicKeys: [generateKeyPair().publicKeyPem], serviceKeys: [generateKeyPair().publicKeyPem] },
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
  const operator = generateKeyPair();
  const attacker = generateKeyPair();
  const readerKeys = generateKeyPair();
  const T = Math.floor(Date.now() / 1000);
  /** A directory that lists the reader (gateway `main`) with its key. */
  const listed = (): Directory => ({ ...good(), gateways: [{ id: 'main', issuer: 'urn:gw', publicKeys: [readerKeys.publicKeyPem] }] });
  const signed = (d: Directory, issuedAt = T, key = operator): string => signDirectory(d, { privateKeyPem: key.privateKeyPem, issuedAt });

  /** A registry answering each request with the next body (the last one repeated); records the reader tokens it got. */
  async function serve(bodies: (string | { status: number; body: unknown })[]): Promise<{ url: string; tokens: string[] }> {
    let i = 0;
    const tokens: string[] = [];
    const server = createServer((req, res) => {
      tokens.push(bearerToken(req.headers.authorization) ?? '');
      const next = bodies[Math.min(i++, bodies.length - 1)];
      if (typeof next === 'string') {
        res.writeHead(200, { 'content-type': 'application/jwt' });
        res.end(next);
      } else {
        res.writeHead(next?.status ?? 500, { 'content-type': 'application/json' });
        res.end(JSON.stringify(next?.body));
      }
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    close = () => server.close();
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, tokens };
  }

  function client(url: string, options: Partial<DirectoryClientOptions> = {}): { client: DirectoryClient; lines: string[] } {
    const lines: string[] = [];
    const c = new DirectoryClient({
      registryUrl: url,
      refreshMs: 0,
      operatorPublicKeys: [operator.publicKeyPem],
      reader: { kind: 'gateway', id: 'main', privateKeyPem: readerKeys.privateKeyPem },
      log: (line) => lines.push(line),
      ...options,
    });
    return { client: c, lines };
  }

  it('asks with a reader token the registry can verify against its own directory', async () => {
    const first = listed();
    const { url, tokens } = await serve([signed(first)]);
    const { client: c } = client(url);
    await c.start();
    expect(c.current()).toEqual(first);
    const audience = directoryAudience(keyId(operator.publicKeyPem));
    expect(verifyDirectoryReaderToken(tokens[0], first, audience)).toEqual({ ok: true, reader: { kind: 'gateway', id: 'main' } });
  });

  it('keeps the last good directory when the registry serves a forged, unsigned or invalid one, counting and logging each refusal', async () => {
    const first = listed();
    const withAttackerKey = { ...first, members: [{ ...first.members[0]!, publicKeys: [attacker.publicKeyPem] }] };
    const badKey = { ...first, members: [{ ...first.members[0]!, publicKeys: ['not a key'] }] };
    const { url } = await serve([signed(first), JSON.stringify(withAttackerKey), signed(withAttackerKey, T + 1, attacker), signed(badKey, T + 2), signed({ members: 'nope' } as unknown as Directory, T + 3)]);
    const { client: c, lines } = client(url);
    await c.start();
    await expect(c.refresh()).rejects.toMatchObject({ name: 'DirectoryRefusedError', reason: 'unsigned' });
    await expect(c.refresh()).rejects.toMatchObject({ reason: 'key' });
    await expect(c.refresh()).rejects.toMatchObject({ reason: 'invalid' });
    await expect(c.refresh()).rejects.toThrow(/invalid directory: clusterId/);
    expect(c.current()).toEqual(first);
    expect(c.refusals).toBe(4);
    expect(lines.length).toBe(3); // one line per reason within a minute: unsigned, key, invalid
    expect(lines[0]).toMatch(/^directory: refused the document of registry http:\/\/127\.0\.0\.1:\d+ \(unsigned: .*\); the last good directory stays in use$/);
  });

  it('refuses a rollback: an older document, validly signed, after a newer one', async () => {
    const older = listed();
    const newer = { ...listed(), relationships: [{ supplier: 'a', customer: 'a' }] };
    const { url } = await serve([signed(newer, T), signed(older, T - 60)]);
    const { client: c } = client(url);
    await c.start();
    await expect(c.refresh()).rejects.toMatchObject({ reason: 'rollback' });
    expect(c.current()).toEqual(newer);
    expect(c.refusals).toBe(1);
  });

  it('refuses the same document served past its expiry (a frozen replay), and keeps it in use', async () => {
    const d = listed();
    let now = new Date(T * 1000);
    const { url } = await serve([signed(d, T)]);
    const { client: c } = client(url, { clock: () => now });
    await c.start();
    now = new Date((T + 200) * 1000);
    await expect(c.refresh()).resolves.toEqual(d);
    now = new Date((T + 300 + 31) * 1000);
    await expect(c.refresh()).rejects.toMatchObject({ reason: 'expired' });
    expect(c.current()).toEqual(d);
    expect(c.refusals).toBe(1);
  });

  it('pins two operator keys during a rotation: a document of either is taken', async () => {
    const next = generateKeyPair();
    const d = listed();
    const { url } = await serve([signed(d, T, operator), signed(d, T + 1, next), signed(d, T + 2, attacker)]);
    const { client: c } = client(url, { operatorPublicKeys: [operator.publicKeyPem, next.publicKeyPem] });
    await c.start();
    const before = c.current();
    await c.refresh();
    // Re-signed, same content: the very same object (trust list and caches kept).
    expect(c.current()).toBe(before);
    await expect(c.refresh()).rejects.toMatchObject({ reason: 'key' });
    expect(() => client(url, { operatorPublicKeys: [] })).toThrow(/one or two/);
  });

  it('a registry that refuses this reader ends the wait at once with its code', async () => {
    const { url } = await serve([{ status: 401, body: { errors: [{ message: 'no', extensions: { code: 'DIRECTORY_READER_UNKNOWN' } }] } }]);
    const { client: c } = client(url);
    await expect(c.start(60_000)).rejects.toMatchObject({ name: 'DirectoryAccessError', code: 'DIRECTORY_READER_UNKNOWN' });
    expect(c.current()).toBeUndefined();
    expect(c.refusals).toBe(0);
  });
});
