/**
 * A member's two key pairs, generated once: its user-token key (signs its users' tokens when
 * it runs no identity provider of its own: `dataspace token --key`) and its service key (its
 * firm process reads the directory and its peers' policies with it). Never overwritten.
 */
import { createPublicKey } from 'node:crypto';
import { existsSync, mkdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { generateKeyPair, privateKeyPath, publicKeyPath } from './keys.js';
import { keyId } from './keyId.js';

/** One generated pair: where its halves are and its key id. */
export interface GeneratedKeyPair {
  /** PKCS#8 PEM, mode 0600. */
  privateKeyFile: string;
  /** SPKI PEM, what the registry's file names. */
  publicKeyFile: string;
  /** RFC 7638 thumbprint: the `kid` of what it signs. */
  keyId: string;
}

/** What {@link generateMemberKeys} wrote. */
export interface MemberKeyFiles {
  firmId: string;
  /** `<dir>/<firmId>.key.pem` and `.pub.pem`: the registry's `publicKeyFiles`. */
  userToken: GeneratedKeyPair;
  /** `<dir>/<firmId>.service.key.pem` and `.pub.pem`: the registry's `serviceKeyFiles`, the firm file's `serviceKeyFile`. */
  service: GeneratedKeyPair;
}

/** A firm id: lower-case letters, digits and dashes (as in the registry's file). */
const FIRM_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;

/**
 * Writes a new member's user-token and service key pairs (ES256) into `dir` (created, mode
 * 0700), private keys mode 0600. Refuses, before writing anything, when any of the four files
 * exists (an Error naming it): a key that exists may already be trusted somewhere.
 *
 * @example
 * ```ts
 * const keys = generateMemberKeys('keys', 'structura');
 * keys.service.privateKeyFile; // 'keys/structura.service.key.pem'
 * ```
 */
export function generateMemberKeys(dir: string, firmId: string): MemberKeyFiles {
  if (!FIRM_ID.test(firmId)) throw new Error(`invalid firm id "${firmId}": lower-case letters, digits and dashes`);
  const names = [firmId, `${firmId}.service`];
  const paths = names.flatMap((name) => [privateKeyPath(dir, name), publicKeyPath(dir, name)]);
  const existing = paths.find((path) => existsSync(path));
  if (existing) throw new Error(`${existing} exists: refusing to overwrite a key (move it away, or pick another folder with --out)`);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const written: string[] = [];
  const write = (name: string): GeneratedKeyPair => {
    const pair = generateKeyPair();
    const privateKeyFile = privateKeyPath(dir, name);
    const publicKeyFile = publicKeyPath(dir, name);
    // 'wx': never overwrite, even a file created since the check above.
    writeFileSync(privateKeyFile, pair.privateKeyPem, { mode: 0o600, flag: 'wx' });
    written.push(privateKeyFile);
    writeFileSync(publicKeyFile, pair.publicKeyPem, { mode: 0o644, flag: 'wx' });
    written.push(publicKeyFile);
    return { privateKeyFile, publicKeyFile, keyId: keyId(createPublicKey(pair.publicKeyPem)) };
  };
  try {
    return { firmId, userToken: write(firmId), service: write(`${firmId}.service`) };
  } catch (error) {
    for (const path of written) unlinkSync(path);
    throw error;
  }
}
