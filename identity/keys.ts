/**
 * ES256 (ECDSA P-256) key pairs, as PEM: PKCS#8 private keys and SPKI public keys.
 * A member's token signing key and the gateway's credential key are both such pairs.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A key pair as PEM text. */
export interface KeyPairPem {
  /** PKCS#8 PEM. Keep it secret. */
  privateKeyPem: string;
  /** SPKI PEM, as published in the cluster directory. */
  publicKeyPem: string;
}

/**
 * A new ES256 key pair, in memory only (tests, ephemeral demo gateways).
 *
 * @example
 * ```ts
 * const { privateKeyPem, publicKeyPem } = generateKeyPair();
 * ```
 */
export function generateKeyPair(): KeyPairPem {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

/** The path of a named private key in a key directory: `<dir>/<name>.key.pem`. */
export function privateKeyPath(dir: string, name: string): string {
  return join(dir, `${name}.key.pem`);
}

/** The path of a named public key in a key directory: `<dir>/<name>.pub.pem`. */
export function publicKeyPath(dir: string, name: string): string {
  return join(dir, `${name}.pub.pem`);
}

/**
 * Loads the key pair `<dir>/<name>.key.pem`, or creates it there (directory created
 * recursively, private key mode 0600, public key next to it as `<name>.pub.pem`).
 * The public key is always derived from the private key; a missing public file is rewritten.
 * Throws if the existing private key is not a P-256 key.
 *
 * @example
 * ```ts
 * const keys = ensureKeyPair('.dataspace/keys', 'structura');
 * signUserToken({ privateKeyPem: keys.privateKeyPem, ... });
 * ```
 */
export function ensureKeyPair(dir: string, name: string): KeyPairPem {
  assertKeyName(name);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const privatePath = privateKeyPath(dir, name);
  let privateKeyPem = readIfExists(privatePath);
  if (privateKeyPem === undefined) {
    const created = generateKeyPair().privateKeyPem;
    try {
      // 'wx': never overwrite; if a concurrent process created the key first, use its key.
      writeFileSync(privatePath, created, { mode: 0o600, flag: 'wx' });
      privateKeyPem = created;
    } catch (error) {
      if (!isErrno(error, 'EEXIST')) throw error;
      privateKeyPem = readPrivateKey(dir, name);
    }
  }
  const publicKeyPem = createPublicKey(parsePrivateKey(privateKeyPem, privatePath))
    .export({ type: 'spki', format: 'pem' })
    .toString();
  const publicPath = publicKeyPath(dir, name);
  const existingPublic = readIfExists(publicPath);
  if (existingPublic !== publicKeyPem) writeFileSync(publicPath, publicKeyPem, { mode: 0o644 });
  return { privateKeyPem, publicKeyPem };
}

/**
 * Reads the private key `<dir>/<name>.key.pem`; fails with an error naming the path when
 * it is missing or not a P-256 private key.
 *
 * @example
 * ```ts
 * const pem = readPrivateKey('/etc/dataspace/keys', 'gateway');
 * ```
 */
export function readPrivateKey(dir: string, name: string): string {
  assertKeyName(name);
  const path = privateKeyPath(dir, name);
  let pem: string;
  try {
    pem = readFileSync(path, 'utf8');
  } catch (error) {
    if (isErrno(error, 'ENOENT')) throw new Error(`private key not found: ${path}`);
    throw new Error(`cannot read private key ${path}: ${errnoCode(error)}`);
  }
  parsePrivateKey(pem, path);
  return pem;
}

function parsePrivateKey(pem: string, path: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch {
    throw new Error(`not a PEM private key: ${path}`);
  }
  if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw new Error(`not an ES256 (EC P-256) private key: ${path}`);
  }
  return key;
}

function readIfExists(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    if (isErrno(error, 'ENOENT')) return undefined;
    throw new Error(`cannot read ${path}: ${errnoCode(error)}`);
  }
}

function assertKeyName(name: string): void {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) {
    throw new Error(`invalid key name "${name}": use letters, digits, dots, dashes and underscores`);
  }
}

function isErrno(error: unknown, code: string): boolean {
  return errnoCode(error) === code;
}

function errnoCode(error: unknown): string {
  if (error instanceof Error && typeof (error as NodeJS.ErrnoException).code === 'string') {
    return (error as NodeJS.ErrnoException).code ?? 'unknown error';
  }
  return 'unknown error';
}
