import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ConfigError } from '../config/configError.js';

/** An Apollo persisted query manifest (`@apollo/generate-persisted-query-manifest`). */
interface ApolloManifest {
  format: 'apollo-persisted-query-manifest';
  version: 1;
  operations: { id: string; body: string; name?: string; type?: string }[];
}

const SHA256 = /^[0-9a-f]{64}$/;

/**
 * The sha256 of a document's text, hex: the hash clients send as `extensions.persistedQuery.sha256Hash`.
 * @example sha256Hex('{ firms { id } }'); // 64 hex digits
 */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * The operations a gateway in trusted-documents mode runs, and nothing else: from a manifest
 * that is either a JSON map of sha256 → document text, or an Apollo persisted query manifest
 * (`{ format: "apollo-persisted-query-manifest", version: 1, operations: [{ id, body }] }`).
 * Documents are matched by the exact text's sha256 (no normalisation: send them as built).
 * A bad manifest stops the program with a {@link ConfigError} naming the file and the entry.
 *
 * @example
 * const docs = TrustedDocuments.load('trusted-documents.json');
 * docs.byId('9f86d0...'); // the document text, or undefined
 * docs.allows('query Genealogy { ... }'); // its sha256 is in the manifest
 */
export class TrustedDocuments {
  private readonly byHash = new Map<string, string>();

  private constructor(entries: Iterable<[string, string]>) {
    for (const [id, body] of entries) {
      this.byHash.set(id, body);
      this.byHash.set(sha256Hex(body), body);
    }
  }

  /** Reads and checks a manifest file. */
  static load(path: string): TrustedDocuments {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      throw new ConfigError(path, '', 'cannot read the trusted documents manifest');
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw new ConfigError(path, '', `invalid JSON: ${error instanceof Error ? error.message : String(error)}`);
    }
    return TrustedDocuments.fromManifest(json, path);
  }

  /** Checks a parsed manifest; `source` names it in errors. */
  static fromManifest(manifest: unknown, source = 'trusted documents manifest'): TrustedDocuments {
    if (typeof manifest !== 'object' || manifest === null || Array.isArray(manifest)) {
      throw new ConfigError(source, '', 'expected a JSON object: sha256 → document, or an Apollo persisted query manifest');
    }
    const record = manifest as Record<string, unknown>;
    if (record['format'] === 'apollo-persisted-query-manifest') return new TrustedDocuments(apolloEntries(record, source));
    const entries: [string, string][] = [];
    for (const [hash, body] of Object.entries(record)) {
      if (typeof body !== 'string' || body.trim() === '') throw new ConfigError(source, hash, 'expected the document text');
      if (!SHA256.test(hash)) throw new ConfigError(source, hash, 'expected a lower-case hex sha256 as the key');
      if (sha256Hex(body) !== hash) throw new ConfigError(source, hash, 'the key is not the sha256 of the document');
      entries.push([hash, body]);
    }
    return new TrustedDocuments(entries);
  }

  /** The document registered under an id (a sha256, or an Apollo manifest id). */
  byId(id: string): string | undefined {
    return this.byHash.get(id);
  }

  /** Whether this exact document text is registered. */
  allows(query: string): boolean {
    return this.byHash.get(sha256Hex(query)) === query;
  }

  /** Ids and hashes known (an Apollo entry counts its id and its body's hash). */
  get size(): number {
    return this.byHash.size;
  }
}

function apolloEntries(record: Record<string, unknown>, source: string): [string, string][] {
  const manifest = record as Partial<ApolloManifest>;
  if (manifest.version !== 1) throw new ConfigError(source, 'version', 'expected 1');
  if (!Array.isArray(manifest.operations)) throw new ConfigError(source, 'operations', 'expected a list of { id, body }');
  return manifest.operations.map((op: unknown, i): [string, string] => {
    const o = (typeof op === 'object' && op !== null ? op : {}) as Record<string, unknown>;
    const id = o['id'];
    const body = o['body'];
    if (typeof id !== 'string' || id === '') throw new ConfigError(source, `operations[${i}].id`, 'expected a non-empty string');
    if (typeof body !== 'string' || body.trim() === '') throw new ConfigError(source, `operations[${i}].body`, 'expected the document text');
    return [id, body];
  });
}
