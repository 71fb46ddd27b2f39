import { mkdtempSync, readFileSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureKeyPair, generateKeyPair, readPrivateKey } from '../../../identity/keys.js';

const root = mkdtempSync(join(tmpdir(), 'dataspace-keys-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('keys', () => {
  it('generates ES256 PEM pairs in memory', () => {
    const pair = generateKeyPair();
    expect(pair.privateKeyPem).toContain('BEGIN PRIVATE KEY');
    expect(pair.publicKeyPem).toContain('BEGIN PUBLIC KEY');
  });

  it('ensureKeyPair creates the pair (dir recursively, private 0600), then loads the same pair', () => {
    const dir = join(root, 'a', 'b');
    const created = ensureKeyPair(dir, 'acme');
    expect(readFileSync(join(dir, 'acme.key.pem'), 'utf8')).toBe(created.privateKeyPem);
    expect(readFileSync(join(dir, 'acme.pub.pem'), 'utf8')).toBe(created.publicKeyPem);
    if (process.platform !== 'win32') expect(statSync(join(dir, 'acme.key.pem')).mode & 0o777).toBe(0o600);
    expect(ensureKeyPair(dir, 'acme')).toEqual(created);
    unlinkSync(join(dir, 'acme.pub.pem'));
    expect(ensureKeyPair(dir, 'acme')).toEqual(created);
    expect(readFileSync(join(dir, 'acme.pub.pem'), 'utf8')).toBe(created.publicKeyPem);
  });

  it('readPrivateKey names the missing path, and refuses a file that is not a P-256 key', () => {
    expect(() => readPrivateKey(root, 'nobody')).toThrow(join(root, 'nobody.key.pem'));
    writeFileSync(join(root, 'junk.key.pem'), 'hello');
    expect(() => readPrivateKey(root, 'junk')).toThrow(join(root, 'junk.key.pem'));
    expect(readPrivateKey(join(root, 'a', 'b'), 'acme')).toContain('BEGIN PRIVATE KEY');
  });

  it('refuses key names that would escape the directory', () => {
    expect(() => ensureKeyPair(root, '../evil')).toThrow(/invalid key name/);
  });
});
