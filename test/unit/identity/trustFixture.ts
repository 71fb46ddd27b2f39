import { clusterAudience, gatewayIssuer, memberIssuer } from '../../../cluster/directory.js';
import type { Directory, MemberRecord } from '../../../cluster/directory.js';
import { generateKeyPair } from '../../../identity/keys.js';
import type { KeyPairPem } from '../../../identity/keys.js';
import { TrustList } from '../../../identity/trustList.js';

/** A small cluster: firms `acme` and `bolt` (bolt mid-rotation, two keys) and gateway `main`. */
export interface TrustFixture {
  directory: Directory;
  trust: TrustList;
  audience: string;
  acme: { issuer: string; keys: KeyPairPem };
  bolt: { issuer: string; oldKeys: KeyPairPem; newKeys: KeyPairPem };
  gateway: { issuer: string; keys: KeyPairPem };
  outsider: KeyPairPem;
}

function member(id: string, publicKeys: string[]): MemberRecord {
  return {
    id,
    name: id.toUpperCase(),
    role: 'partner',
    tier: 1,
    sector: 'machining',
    endpoints: { firm: `http://${id}.test/firm`, links: `http://${id}.test/links` },
    issuer: memberIssuer('aero', id),
    publicKeys,
  };
}

export function trustFixture(): TrustFixture {
  const acmeKeys = generateKeyPair();
  const boltOld = generateKeyPair();
  const boltNew = generateKeyPair();
  const gatewayKeys = generateKeyPair();
  const directory: Directory = {
    clusterId: 'aero',
    audience: clusterAudience('aero'),
    members: [member('acme', [acmeKeys.publicKeyPem]), member('bolt', [boltOld.publicKeyPem, boltNew.publicKeyPem])],
    gateways: [{ id: 'main', issuer: gatewayIssuer('aero', 'main'), publicKeys: [gatewayKeys.publicKeyPem] }],
    relationships: [{ supplier: 'bolt', customer: 'acme' }],
  };
  return {
    directory,
    trust: TrustList.fromDirectory(directory),
    audience: directory.audience,
    acme: { issuer: memberIssuer('aero', 'acme'), keys: acmeKeys },
    bolt: { issuer: memberIssuer('aero', 'bolt'), oldKeys: boltOld, newKeys: boltNew },
    gateway: { issuer: gatewayIssuer('aero', 'main'), keys: gatewayKeys },
    outsider: generateKeyPair(),
  };
}

export function b64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}
