import { createPrivateKey, createPublicKey } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { keyId } from '../../../identity/keyId.js';
import { generateMemberKeys } from '../../../identity/memberKeys.js';

describe("a new member's keys", () => {
  it('writes a user-token and a service key pair, private keys 0600, each public half its own', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'member-keys-')), 'keys');
    const keys = generateMemberKeys(dir, 'titan');
    expect(keys.userToken.privateKeyFile).toBe(join(dir, 'titan.key.pem'));
    expect(keys.service.publicKeyFile).toBe(join(dir, 'titan.service.pub.pem'));
    for (const pair of [keys.userToken, keys.service]) {
      expect(statSync(pair.privateKeyFile).mode & 0o777).toBe(0o600);
      const privateKey = createPrivateKey(readFileSync(pair.privateKeyFile, 'utf8'));
      expect(keyId(createPublicKey(readFileSync(pair.publicKeyFile, 'utf8')))).toBe(keyId(privateKey));
      expect(pair.keyId).toBe(keyId(privateKey));
    }
    expect(keys.userToken.keyId).not.toBe(keys.service.keyId);
  });

  it('never overwrites: any of the four files existing refuses the whole, naming it, and writes nothing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'member-keys-'));
    writeFileSync(join(dir, 'titan.service.pub.pem'), 'kept');
    expect(() => generateMemberKeys(dir, 'titan')).toThrow(/titan\.service\.pub\.pem exists: refusing to overwrite/);
    expect(() => statSync(join(dir, 'titan.key.pem'))).toThrow();
    expect(readFileSync(join(dir, 'titan.service.pub.pem'), 'utf8')).toBe('kept');
    generateMemberKeys(dir, 'other');
    expect(() => generateMemberKeys(dir, 'other')).toThrow(/other\.key\.pem exists/);
  });

  it('refuses an id that is not a firm id (no path in it)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'member-keys-'));
    expect(() => generateMemberKeys(dir, '../x')).toThrow(/invalid firm id/);
    expect(() => generateMemberKeys(dir, 'Titan')).toThrow(/invalid firm id/);
  });
});
