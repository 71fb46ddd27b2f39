import { generateKeyPairSync } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateKeyPair } from '../../../identity/keys.js';
import { TrustList } from '../../../identity/trustList.js';
import { trustFixture } from './trustFixture.js';

describe('TrustList', () => {
  const f = trustFixture();

  it('maps member issuers to firms and gateway issuers to gateways, keys parsed', () => {
    const acme = f.trust.lookup(f.acme.issuer);
    expect(acme).toMatchObject({ kind: 'firm', firmId: 'acme' });
    expect(acme?.publicKeys).toHaveLength(1);
    expect(acme?.publicKeys[0]?.asymmetricKeyType).toBe('ec');
    expect(f.trust.lookup(f.bolt.issuer)?.publicKeys).toHaveLength(2);
    expect(f.trust.lookup(f.gateway.issuer)).toMatchObject({ kind: 'gateway', gatewayId: 'main' });
    expect(f.trust.lookup('urn:dataspace:aero:firm:nobody')).toBeUndefined();
    expect(f.trust.issuers()).toHaveLength(3);
  });

  it('parses keys once: lookups return the same objects', () => {
    expect(f.trust.lookup(f.acme.issuer)?.publicKeys[0]).toBe(f.trust.lookup(f.acme.issuer)?.publicKeys[0]);
  });

  it('refuses malformed keys, private keys, non-P-256 keys and duplicate issuers, naming the issuer', () => {
    const { privateKeyPem, publicKeyPem } = generateKeyPair();
    const entry = (publicKeys: string[]) => ({ kind: 'firm' as const, issuer: 'urn:x:firm:a', firmId: 'a', publicKeys });
    expect(() => TrustList.fromEntries([entry(['not a key'])])).toThrow(/urn:x:firm:a/);
    expect(() => TrustList.fromEntries([entry([privateKeyPem])])).toThrow(/PRIVATE/);
    const spki = (key: KeyObject): string => key.export({ type: 'spki', format: 'pem' }).toString();
    const rsa = spki(generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey);
    const p384 = spki(generateKeyPairSync('ec', { namedCurve: 'P-384' }).publicKey);
    expect(() => TrustList.fromEntries([entry([p384])])).toThrow(/P-256/);
    expect(() => TrustList.fromEntries([entry([rsa])])).toThrow(/P-256/);
    expect(() => TrustList.fromEntries([entry([publicKeyPem]), entry([publicKeyPem])])).toThrow(/more than once/);
  });
});
