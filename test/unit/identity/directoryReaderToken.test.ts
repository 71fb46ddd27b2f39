import jwt from 'jsonwebtoken';
import { describe, expect, it } from 'vitest';
import { keyId } from '../../../identity/keyId.js';
import { generateKeyPair } from '../../../identity/keys.js';
import {
  DIRECTORY_READER_TOKEN_TYPE,
  directoryAudience,
  signDirectoryReaderToken,
  verifyDirectoryReaderToken,
  type DirectoryReader,
} from '../../../identity/directoryReaderToken.js';
import { signUserToken } from '../../../identity/userToken.js';
import { trustFixture } from './trustFixture.js';

const f = trustFixture();
const operatorKid = keyId(generateKeyPair().publicKeyPem);
const audience = directoryAudience(operatorKid);
/** acme reads with its service key; its user-token key (f.acme.keys) is its identity provider's. */
const acme: DirectoryReader = { kind: 'firm', id: 'acme', privateKeyPem: f.acme.service.privateKeyPem };
const gateway: DirectoryReader = { kind: 'gateway', id: 'main', privateKeyPem: f.gateway.keys.privateKeyPem };
const code = (token: string | undefined, now?: Date): string => {
  const read = verifyDirectoryReaderToken(token, f.directory, audience, now);
  return read.ok ? 'ok' : read.code;
};

describe('directory reader tokens', () => {
  it('a member and a gateway listed in the directory are readers, each with its own key (a member its service key)', () => {
    expect(verifyDirectoryReaderToken(signDirectoryReaderToken(acme, [audience]), f.directory, audience)).toEqual({ ok: true, reader: { kind: 'firm', id: 'acme' } });
    expect(verifyDirectoryReaderToken(signDirectoryReaderToken(gateway, [audience]), f.directory, audience)).toEqual({ ok: true, reader: { kind: 'gateway', id: 'main' } });
    const header = JSON.parse(Buffer.from(signDirectoryReaderToken(acme, [audience]).split('.')[0] ?? '', 'base64url').toString()) as Record<string, unknown>;
    expect(header).toEqual({ alg: 'ES256', typ: DIRECTORY_READER_TOKEN_TYPE, kid: keyId(f.acme.service.publicKeyPem) });
  });

  it("a member's user-token key reads nothing: only its service keys verify its reader token", () => {
    expect(code(signDirectoryReaderToken({ ...acme, privateKeyPem: f.acme.keys.privateKeyPem }, [audience]))).toBe('DIRECTORY_READER_INVALID');
    expect(code(signDirectoryReaderToken({ kind: 'firm', id: 'bolt', privateKeyPem: f.bolt.newKeys.privateKeyPem }, [audience]))).toBe('DIRECTORY_READER_INVALID');
    // Nor another member's service key, nor the gateway's key in a firm's name.
    expect(code(signDirectoryReaderToken({ kind: 'firm', id: 'bolt', privateKeyPem: f.acme.service.privateKeyPem }, [audience]))).toBe('DIRECTORY_READER_INVALID');
    expect(code(signDirectoryReaderToken({ ...acme, privateKeyPem: f.gateway.keys.privateKeyPem }, [audience]))).toBe('DIRECTORY_READER_INVALID');
    expect(code(signDirectoryReaderToken({ kind: 'firm', id: 'bolt', privateKeyPem: f.bolt.service.privateKeyPem }, [audience]))).toBe('ok');
  });

  it('during a service key rotation (two serviceKeys) the old and the new key read; once the old is dropped, it reads no more', () => {
    const next = generateKeyPair();
    const rotating = { ...f.directory, members: f.directory.members.map((m) => (m.id === 'acme' ? { ...m, serviceKeys: [f.acme.service.publicKeyPem, next.publicKeyPem] } : m)) };
    const rotated = { ...f.directory, members: f.directory.members.map((m) => (m.id === 'acme' ? { ...m, serviceKeys: [next.publicKeyPem] } : m)) };
    const read = (privateKeyPem: string, directory: typeof f.directory): boolean => verifyDirectoryReaderToken(signDirectoryReaderToken({ ...acme, privateKeyPem }, [audience]), directory, audience).ok;
    expect([read(f.acme.service.privateKeyPem, rotating), read(next.privateKeyPem, rotating)]).toEqual([true, true]);
    expect([read(f.acme.service.privateKeyPem, rotated), read(next.privateKeyPem, rotated)]).toEqual([false, true]);
  });

  it("a gateway reads with its credential key, not with a member's service key", () => {
    expect(code(signDirectoryReaderToken({ ...gateway, privateKeyPem: f.acme.service.privateKeyPem }, [audience]))).toBe('DIRECTORY_READER_INVALID');
  });

  it('anonymous → UNAUTHENTICATED; unknown reader, or a firm posing as a gateway → DIRECTORY_READER_UNKNOWN', () => {
    expect(code(undefined)).toBe('UNAUTHENTICATED');
    expect(code('')).toBe('UNAUTHENTICATED');
    expect(code(signDirectoryReaderToken({ kind: 'firm', id: 'mallory', privateKeyPem: f.outsider.privateKeyPem }, [audience]))).toBe('DIRECTORY_READER_UNKNOWN');
    expect(code(signDirectoryReaderToken({ ...acme, kind: 'gateway' }, [audience]))).toBe('DIRECTORY_READER_UNKNOWN');
  });

  it("a member's id with a foreign key, another registry's audience, an expired token → DIRECTORY_READER_INVALID", () => {
    expect(code(signDirectoryReaderToken({ ...acme, privateKeyPem: f.outsider.privateKeyPem }, [audience]))).toBe('DIRECTORY_READER_INVALID');
    expect(code(signDirectoryReaderToken(acme, [directoryAudience('another-operator')]))).toBe('DIRECTORY_READER_INVALID');
    expect(code(signDirectoryReaderToken(acme, [audience], { now: new Date(Date.now() - 600_000) }))).toBe('DIRECTORY_READER_INVALID');
  });

  it('accepts a token addressed to two operator keys (a rotation) when one is this registry’s', () => {
    expect(code(signDirectoryReaderToken(acme, [directoryAudience('old'), audience]))).toBe('ok');
  });

  it('a user token, even of a listed member, is no reader token; nor is a long-lived one', () => {
    const user = signUserToken({ privateKeyPem: f.acme.keys.privateKeyPem, issuer: 'acme', audience, firmId: 'acme', subject: 'acme', roles: [] });
    expect(code(user)).toBe('DIRECTORY_READER_INVALID');
    const userByService = signUserToken({ privateKeyPem: f.acme.service.privateKeyPem, issuer: 'acme', audience, firmId: 'acme', subject: 'acme', roles: [] });
    expect(code(userByService)).toBe('DIRECTORY_READER_INVALID');
    const now = Math.floor(Date.now() / 1000);
    const long = jwt.sign({ iss: 'acme', sub: 'acme', kind: 'firm', aud: audience, iat: now, exp: now + 3600 }, f.acme.service.privateKeyPem, {
      algorithm: 'ES256',
      header: { alg: 'ES256', typ: DIRECTORY_READER_TOKEN_TYPE },
    });
    expect(code(long)).toBe('DIRECTORY_READER_INVALID');
    expect(() => signDirectoryReaderToken(acme, [audience], { ttlSeconds: 3600 })).toThrow(/ttlSeconds/);
  });
});
