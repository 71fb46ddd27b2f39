import { describe, expect, it } from 'vitest';
import type { Directory } from '../../../cluster/directory.js';
import { pinnedOperatorKeys, readDirectoryDocument } from '../../../cluster/directoryDocument.js';
import { directoryAudience } from '../../../identity/directoryReaderToken.js';
import { keyId } from '../../../identity/keyId.js';
import { generateKeyPair } from '../../../identity/keys.js';
import { DirectorySigner } from '../../../subgraphs/registry/directorySigner.js';

const operator = generateKeyPair();
const pinned = pinnedOperatorKeys([operator.publicKeyPem]);
const directory = (name: string): Directory => ({
  clusterId: 'aero',
  audience: 'urn:dataspace:aero',
  members: [{ id: 'a', name, role: 'lead', tier: 0, sector: '', endpoints: { firm: 'http://a/firm', links: 'http://a/links' }, issuer: 'urn:a', publicKeys: [generateKeyPair().publicKeyPem], serviceKeys: [generateKeyPair().publicKeyPem] }],
  gateways: [],
  relationships: [],
});
const T = 1_900_000_000;
const issuedAt = (text: string): number => {
  // Read at the end of the longest run below: every document of these tests is still valid then.
  const read = readDirectoryDocument(text, pinned, { now: new Date((T + 300) * 1000) });
  if (!read.ok) throw new Error(read.message);
  return read.document.iat;
};

describe('DirectorySigner', () => {
  it("signs with the operator's key, and accepts reader tokens addressed to that key", () => {
    const signer = new DirectorySigner({ privateKeyPem: operator.privateKeyPem, clock: () => new Date(T * 1000) });
    expect(signer.kid).toBe(keyId(operator.publicKeyPem));
    expect(signer.audience).toBe(directoryAudience(signer.kid));
    expect(issuedAt(signer.documentFor(directory('A')))).toBe(T);
  });

  it('serves the same document until half its lifetime, then re-signs; a changed directory is re-signed at once, iat strictly increasing', () => {
    let now = T;
    const signer = new DirectorySigner({ privateKeyPem: operator.privateKeyPem, ttlSeconds: 300, clock: () => new Date(now * 1000) });
    const first = directory('A');
    const text = signer.documentFor(first);
    now = T + 149;
    expect(signer.documentFor(first)).toBe(text);
    const changed = directory('B');
    const afterChange = signer.documentFor(changed);
    expect(issuedAt(afterChange)).toBe(T + 149);
    // A second change within the same second still gets a later iat: no reader takes it for a rollback.
    const again = signer.documentFor(directory('C'));
    expect(issuedAt(again)).toBe(T + 150);
    now = T + 150 + 150;
    expect(issuedAt(signer.documentFor(directory('C')))).toBe(T + 300);
  });

  it('refuses a key that is not an ES256 private key, and a lifetime out of bounds', () => {
    expect(() => new DirectorySigner({ privateKeyPem: operator.publicKeyPem })).toThrow(/not an ES256 \(EC P-256\) PEM private key/);
    expect(() => new DirectorySigner({ privateKeyPem: 'junk' })).toThrow(/not an ES256/);
    expect(() => new DirectorySigner({ privateKeyPem: operator.privateKeyPem, ttlSeconds: 7200 })).toThrow(/ttlSeconds/);
  });
});
