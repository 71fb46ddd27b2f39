import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../config/configError.js';
import { sha256Hex, TrustedDocuments } from '../../../limits/trustedDocuments.js';

const dir = mkdtempSync(join(tmpdir(), 'dataspace-trusted-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const FIRMS = '{ firms { id } }';
const LOTS = 'query Lots { firm(id: "skyframe") { lots(first: 1) { lotId } } }';

function failure(run: () => unknown): ConfigError {
  try {
    run();
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error('expected a ConfigError');
}

describe('TrustedDocuments', () => {
  it('reads a map of sha256 → document', () => {
    const docs = TrustedDocuments.fromManifest({ [sha256Hex(FIRMS)]: FIRMS });
    expect(docs.byId(sha256Hex(FIRMS))).toBe(FIRMS);
    expect(docs.allows(FIRMS)).toBe(true);
    expect(docs.allows(`${FIRMS} `)).toBe(false); // exact text only
    expect(docs.byId(sha256Hex(LOTS))).toBeUndefined();
  });

  it('reads an Apollo persisted query manifest, by id and by the body’s hash', () => {
    const docs = TrustedDocuments.fromManifest({
      format: 'apollo-persisted-query-manifest',
      version: 1,
      operations: [{ id: 'lots-v1', name: 'Lots', type: 'query', body: LOTS }],
    });
    expect(docs.byId('lots-v1')).toBe(LOTS);
    expect(docs.byId(sha256Hex(LOTS))).toBe(LOTS);
    expect(docs.allows(LOTS)).toBe(true);
  });

  it('loads a file and refuses bad manifests naming the file and the entry', () => {
    const path = join(dir, 'ok.json');
    writeFileSync(path, JSON.stringify({ [sha256Hex(FIRMS)]: FIRMS }));
    expect(TrustedDocuments.load(path).allows(FIRMS)).toBe(true);

    const wrong = failure(() => TrustedDocuments.fromManifest({ [sha256Hex(LOTS)]: FIRMS }, 'm.json'));
    expect(wrong.message).toBe(`config file m.json, key ${sha256Hex(LOTS)}: the key is not the sha256 of the document`);
    expect(failure(() => TrustedDocuments.fromManifest({ abc: FIRMS }, 'm.json')).message).toContain('sha256 as the key');
    expect(failure(() => TrustedDocuments.fromManifest([], 'm.json')).message).toContain('expected a JSON object');
    expect(failure(() => TrustedDocuments.fromManifest({ format: 'apollo-persisted-query-manifest', version: 2, operations: [] }, 'm.json')).key).toBe('version');
    expect(failure(() => TrustedDocuments.fromManifest({ format: 'apollo-persisted-query-manifest', version: 1, operations: [{ id: 'x' }] }, 'm.json')).key).toBe('operations[0].body');
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{ nope');
    expect(failure(() => TrustedDocuments.load(broken)).message).toMatch(/broken\.json: invalid JSON/);
    expect(failure(() => TrustedDocuments.load(join(dir, 'missing.json'))).message).toContain('cannot read');
  });
});
