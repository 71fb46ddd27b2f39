import { expect } from 'vitest';
import { clusterAudience, gatewayIssuer, memberIssuer } from '../../../cluster/directory.js';
import { AuthError, type AuthErrorCode } from '../../../identity/authError.js';
import type { Directory, MemberRecord } from '../../../cluster/directory.js';
import { generateKeyPair } from '../../../identity/keys.js';
import type { KeyPairPem } from '../../../identity/keys.js';
import { TrustList } from '../../../identity/trustList.js';

/**
 * A small cluster: firms `acme` and `bolt` (bolt mid-rotation, two user-token keys), each
 * with a service key of its own, and gateway `main`.
 */
export interface TrustFixture {
  directory: Directory;
  trust: TrustList;
  audience: string;
  acme: { issuer: string; keys: KeyPairPem; service: KeyPairPem };
  bolt: { issuer: string; oldKeys: KeyPairPem; newKeys: KeyPairPem; service: KeyPairPem };
  gateway: { issuer: string; keys: KeyPairPem };
  outsider: KeyPairPem;
}

function member(id: string, publicKeys: string[], serviceKeys: string[]): MemberRecord {
  return {
    id,
    name: id.toUpperCase(),
    role: 'partner',
    tier: 1,
    sector: 'machining',
    endpoints: { firm: `http://${id}.test/firm`, links: `http://${id}.test/links` },
    issuer: memberIssuer('aero', id),
    publicKeys,
    serviceKeys,
  };
}

export function trustFixture(): TrustFixture {
  const acmeKeys = generateKeyPair();
  const boltOld = generateKeyPair();
  const boltNew = generateKeyPair();
  const gatewayKeys = generateKeyPair();
  const acmeService = generateKeyPair();
  const boltService = generateKeyPair();
  const directory: Directory = {
    clusterId: 'aero',
    audience: clusterAudience('aero'),
    members: [member('acme', [acmeKeys.publicKeyPem], [acmeService.publicKeyPem]), member('bolt', [boltOld.publicKeyPem, boltNew.publicKeyPem], [boltService.publicKeyPem])],
    gateways: [{ id: 'main', issuer: gatewayIssuer('aero', 'main'), publicKeys: [gatewayKeys.publicKeyPem] }],
    relationships: [{ supplier: 'bolt', customer: 'acme' }],
  };
  return {
    directory,
    trust: TrustList.fromDirectory(directory),
    audience: directory.audience,
    acme: { issuer: memberIssuer('aero', 'acme'), keys: acmeKeys, service: acmeService },
    bolt: { issuer: memberIssuer('aero', 'bolt'), oldKeys: boltOld, newKeys: boltNew, service: boltService },
    gateway: { issuer: gatewayIssuer('aero', 'main'), keys: gatewayKeys },
    outsider: generateKeyPair(),
  };
}

export function b64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/** The code of the AuthError `run` throws (fails the test when it throws none or another error). */
export function authRefusal(run: () => unknown): AuthErrorCode {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(AuthError);
    return (error as AuthError).code;
  }
  throw new Error('expected an AuthError');
}

/** The code of the AuthError that the promise of `run` rejects with (fails the test when it resolves or rejects otherwise). */
export async function authRefusalAsync(run: () => Promise<unknown>): Promise<AuthErrorCode> {
  try {
    await run();
  } catch (error) {
    expect(error).toBeInstanceOf(AuthError);
    return (error as AuthError).code;
  }
  throw new Error('expected an AuthError');
}
