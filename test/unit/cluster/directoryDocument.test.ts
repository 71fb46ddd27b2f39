import { createPrivateKey, createPublicKey, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Directory } from '../../../cluster/directory.js';
import {
  DIRECTORY_DOCUMENT_TYPE,
  MAX_DIRECTORY_TTL_SECONDS,
  pinnedOperatorKeys,
  readDirectoryDocument,
  signDirectory,
  type DirectoryRefusalReason,
} from '../../../cluster/directoryDocument.js';
import { keyId } from '../../../identity/keyId.js';
import { generateKeyPair } from '../../../identity/keys.js';

const operator = generateKeyPair();
const nextOperator = generateKeyPair();
const attacker = generateKeyPair();
const pinned = pinnedOperatorKeys([operator.publicKeyPem]);
const T = 1_900_000_000;
const at = (seconds: number): Date => new Date(seconds * 1000);

function directory(clusterId = 'aero', memberKey = generateKeyPair().publicKeyPem): Directory {
  return {
    clusterId,
    audience: `urn:dataspace:${clusterId}`,
    members: [{ id: 'a', name: 'A', role: 'lead', tier: 0, sector: 's', endpoints: { firm: 'http://a/firm', links: 'http://a/links' }, issuer: 'urn:a', publicKeys: [memberKey], serviceKeys: [generateKeyPair().publicKeyPem] }],
    gateways: [{ id: 'main', issuer: 'urn:gw', publicKeys: [generateKeyPair().publicKeyPem] }],
    relationships: [],
  };
}

const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

function reason(text: string, options: Parameters<typeof readDirectoryDocument>[2] = { now: at(T) }, keys = pinned): DirectoryRefusalReason {
  const read = readDirectoryDocument(text, keys, options);
  if (read.ok) throw new Error('expected a refusal');
  return read.reason;
}

describe('the signed directory document', () => {
  it('round trip: a compact JWS, ES256, its kid the operator key thumbprint, iat and exp around the directory', () => {
    const d = directory();
    const text = signDirectory(d, { privateKeyPem: operator.privateKeyPem, issuedAt: T, ttlSeconds: 300 });
    const [header] = text.split('.');
    expect(JSON.parse(Buffer.from(header ?? '', 'base64url').toString())).toEqual({ alg: 'ES256', typ: DIRECTORY_DOCUMENT_TYPE, kid: keyId(operator.publicKeyPem) });
    const read = readDirectoryDocument(text, pinned, { now: at(T + 10) });
    expect(read).toEqual({ ok: true, document: { directory: d, iat: T, exp: T + 300, kid: keyId(operator.publicKeyPem) } });
  });

  it('refuses an unsigned directory (plain JSON, or alg none)', () => {
    expect(reason(JSON.stringify(directory()))).toBe('unsigned');
    expect(reason(`${b64({ alg: 'none', typ: DIRECTORY_DOCUMENT_TYPE })}.${b64({ iat: T, exp: T + 60, directory: directory() })}.`)).toBe('unsigned');
  });

  it("refuses a directory signed with another key — under the attacker's kid, or claiming the operator's", () => {
    const forged = signDirectory(directory('aero', attacker.publicKeyPem), { privateKeyPem: attacker.privateKeyPem, issuedAt: T });
    expect(reason(forged)).toBe('key');
    const [, payload, signature] = forged.split('.');
    const lying = `${b64({ alg: 'ES256', typ: DIRECTORY_DOCUMENT_TYPE, kid: keyId(operator.publicKeyPem) })}.${payload}.${signature}`;
    expect(reason(lying)).toBe('signature');
    const noKid = `${b64({ alg: 'ES256', typ: DIRECTORY_DOCUMENT_TYPE })}.${payload}.${signature}`;
    expect(reason(noKid)).toBe('signature');
  });

  it('refuses a payload changed after signing (a key added to a signed directory)', () => {
    const [header, , signature] = signDirectory(directory(), { privateKeyPem: operator.privateKeyPem, issuedAt: T }).split('.');
    expect(reason(`${header}.${b64({ iat: T, exp: T + 300, directory: directory('aero', attacker.publicKeyPem) })}.${signature}`)).toBe('signature');
  });

  it('refuses other algorithms and types, and garbage', () => {
    const [, payload, signature] = signDirectory(directory(), { privateKeyPem: operator.privateKeyPem, issuedAt: T }).split('.');
    expect(reason(`${b64({ alg: 'HS256', typ: DIRECTORY_DOCUMENT_TYPE })}.${payload}.${signature}`)).toBe('algorithm');
    expect(reason(`${b64({ alg: 'ES256', typ: 'JWT' })}.${payload}.${signature}`)).toBe('malformed');
    for (const garbage of ['', 'a.b', 'a.b.c.d', '<html>', `${b64([1])}.${payload}.${signature}`]) expect(reason(garbage)).toBe('malformed');
  });

  it('refuses an expired document (30 s tolerance), one signed in the future, and one valid for too long', () => {
    const text = signDirectory(directory(), { privateKeyPem: operator.privateKeyPem, issuedAt: T, ttlSeconds: 60 });
    expect(readDirectoryDocument(text, pinned, { now: at(T + 89) }).ok).toBe(true);
    expect(reason(text, { now: at(T + 90) })).toBe('expired');
    expect(reason(text, { now: at(T - 31) })).toBe('not-yet-valid');
    expect(() => signDirectory(directory(), { privateKeyPem: operator.privateKeyPem, ttlSeconds: MAX_DIRECTORY_TTL_SECONDS + 1 })).toThrow(/ttlSeconds/);
    // Signed with the operator's key by hand for a year: the reader's own cap still holds.
    const input = `${b64({ alg: 'ES256', typ: DIRECTORY_DOCUMENT_TYPE })}.${b64({ iat: T, exp: T + 365 * 86_400, directory: directory() })}`;
    const signature = sign('sha256', Buffer.from(input), { key: createPrivateKey(operator.privateKeyPem), dsaEncoding: 'ieee-p1363' }).toString('base64url');
    expect(reason(`${input}.${signature}`)).toBe('lifetime');
    const atMost = signDirectory(directory(), { privateKeyPem: operator.privateKeyPem, issuedAt: T, ttlSeconds: MAX_DIRECTORY_TTL_SECONDS });
    expect(readDirectoryDocument(atMost, pinned, { now: at(T) }).ok).toBe(true);
  });

  it('refuses a rollback: a document older than the one in use, even validly signed and unexpired', () => {
    const older = signDirectory(directory(), { privateKeyPem: operator.privateKeyPem, issuedAt: T - 100 });
    expect(reason(older, { now: at(T), lastIssuedAt: T })).toBe('rollback');
    expect(readDirectoryDocument(older, pinned, { now: at(T), lastIssuedAt: T - 100 }).ok).toBe(true);
  });

  it("refuses another cluster's directory once a cluster is known, and a signed directory that does not validate", () => {
    const other = signDirectory(directory('other'), { privateKeyPem: operator.privateKeyPem, issuedAt: T });
    expect(reason(other, { now: at(T), clusterId: 'aero' })).toBe('cluster');
    const badKey = signDirectory({ ...directory(), members: [{ ...directory().members[0]!, publicKeys: ['not a key'] }] }, { privateKeyPem: operator.privateKeyPem, issuedAt: T });
    expect(reason(badKey)).toBe('invalid');
    const notADirectory = signDirectory({ members: 'nope' } as unknown as Directory, { privateKeyPem: operator.privateKeyPem, issuedAt: T });
    expect(reason(notADirectory)).toBe('invalid');
  });

  it('two pinned keys (a rotation): documents of either verify, by kid', () => {
    const both = pinnedOperatorKeys([operator.publicKeyPem, nextOperator.publicKeyPem]);
    for (const key of [operator, nextOperator]) {
      const read = readDirectoryDocument(signDirectory(directory(), { privateKeyPem: key.privateKeyPem, issuedAt: T }), both, { now: at(T) });
      expect(read.ok && read.document.kid).toBe(keyId(key.publicKeyPem));
    }
    expect(reason(signDirectory(directory(), { privateKeyPem: nextOperator.privateKeyPem, issuedAt: T }))).toBe('key');
  });

  it('pins one or two ES256 public keys, naming the bad one', () => {
    expect(() => pinnedOperatorKeys([])).toThrow(/one or two/);
    expect(() => pinnedOperatorKeys([operator.publicKeyPem, nextOperator.publicKeyPem, attacker.publicKeyPem])).toThrow(/one or two/);
    expect(() => pinnedOperatorKeys([operator.publicKeyPem, 'junk'])).toThrow(/operator key #2 is not a valid PEM public key/);
    expect(() => pinnedOperatorKeys([operator.privateKeyPem])).toThrow(/PRIVATE/);
    expect(pinnedOperatorKeys([operator.publicKeyPem])[0]?.equals(createPublicKey(operator.publicKeyPem))).toBe(true);
  });
});
