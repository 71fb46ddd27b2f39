/**
 * The configuration loader of every program (firm subgraph, registry, gateway): reads a YAML
 * or JSON file, validates it with a zod schema, refuses unknown keys, and reports any
 * problem as a {@link ConfigError} naming the file and the key.
 */
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { isMap, isScalar, isSeq, parseDocument } from 'yaml';
import type { z } from 'zod';
import { ConfigError } from './configError.js';
import type { ConfigProblem } from './configError.js';
import { formatConfigPath } from './configPath.js';

/** Options of {@link loadConfigFile}. */
export interface LoadConfigOptions {
  /**
   * Refuse keys that the schema does not declare, even where it uses a non-strict
   * `z.object` (keys the schema would silently strip). Default true. Turn it off only for
   * schemas whose transforms rename keys.
   */
  strict?: boolean;
}

/**
 * Loads and validates a configuration file: YAML (`.yaml`, `.yml`) or JSON (`.json`), by
 * extension. Duplicate keys, syntax errors, values the schema refuses and unknown keys
 * all throw a {@link ConfigError} (`CONFIG_INVALID`) naming the file and the dotted key.
 *
 * @example
 * ```ts
 * const schema = z.strictObject({ port: z.number().int(), database: z.strictObject({ url: z.string() }) });
 * const config = loadConfigFile('firm.yaml', schema);
 * // bad value → ConfigError: config file firm.yaml, key database.url: expected a postgres:// URL
 * ```
 */
export function loadConfigFile<T>(path: string, schema: z.ZodType<T>, options: LoadConfigOptions = {}): T {
  const text = readText(path);
  const format = formatOf(path);
  const input = format === 'json' ? parseJson(path, text) : parseYaml(path, text);
  return validateConfig(path, input, schema, options);
}

/**
 * Validates an already parsed configuration value, as {@link loadConfigFile} does.
 *
 * @example
 * ```ts
 * const config = validateConfig('inline demo config', { port: 4000 }, schema);
 * ```
 */
export function validateConfig<T>(file: string, input: unknown, schema: z.ZodType<T>, options: LoadConfigOptions = {}): T {
  const result = schema.safeParse(input);
  if (!result.success) throw new ConfigError(file, result.error.issues.flatMap(toProblems));
  if (options.strict !== false) {
    const unknownKeys = strippedKeys(input, result.data, []);
    if (unknownKeys.length > 0) {
      throw new ConfigError(file, unknownKeys.map((p) => ({ key: formatConfigPath(p), message: 'unknown key' })));
    }
  }
  return result.data;
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8').replace(/^\uFEFF/, '');
  } catch (error) {
    const code = error instanceof Error ? (error as NodeJS.ErrnoException).code : undefined;
    if (code === 'ENOENT') throw new ConfigError(path, '', 'file not found');
    if (code === 'EISDIR') throw new ConfigError(path, '', 'is a directory, not a file');
    throw new ConfigError(path, '', `cannot read the file (${code ?? 'unknown error'})`);
  }
}

function formatOf(path: string): 'yaml' | 'json' {
  const extension = extname(path).toLowerCase();
  if (extension === '.json') return 'json';
  if (extension === '.yaml' || extension === '.yml') return 'yaml';
  throw new ConfigError(path, '', 'unsupported file type: use .yaml, .yml or .json');
}

function parseYaml(path: string, text: string): unknown {
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: true });
  if (doc.errors.length > 0) {
    // Duplicate keys are independent problems; after a syntax error the rest is mostly noise.
    const duplicates = doc.errors.filter((e) => e.code === 'DUPLICATE_KEY');
    const problems = duplicates.length === doc.errors.length ? duplicates : doc.errors.slice(0, 1);
    throw new ConfigError(path, problems.map((e) => yamlProblem(doc.contents, e)));
  }
  if (text.trim() === '') throw new ConfigError(path, '', 'the file is empty');
  try {
    return doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    throw new ConfigError(path, '', `invalid YAML: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function parseJson(path: string, text: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(path, '', `invalid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  // JSON.parse keeps the last of duplicate keys silently; JSON is YAML, so let YAML find them.
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: true });
  const duplicates = doc.errors.filter((e) => e.code === 'DUPLICATE_KEY');
  if (duplicates.length > 0) throw new ConfigError(path, duplicates.map((e) => yamlProblem(doc.contents, e)));
  return value;
}

function yamlProblem(root: unknown, error: { code: string; message: string; pos: [number, number] }): ConfigProblem {
  const firstLine = (error.message.split('\n')[0] ?? error.message).replace(/:\s*$/, '');
  if (error.code === 'DUPLICATE_KEY') {
    const at = firstLine.replace(/^Map keys must be unique\s*/, '');
    const key = findKeyAt(root, error.pos[0], []);
    return { key: key === undefined ? '' : formatConfigPath(key), message: `duplicate key${at ? ` ${at}` : ''}` };
  }
  return { key: '', message: `invalid YAML: ${firstLine}` };
}

/** The path of the map key that starts at `offset` in a YAML node tree. */
function findKeyAt(node: unknown, offset: number, path: PropertyKey[]): PropertyKey[] | undefined {
  if (isMap(node)) {
    for (const pair of node.items) {
      const name = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
      if (isScalar(pair.key) && pair.key.range?.[0] === offset) return [...path, name];
      const found = findKeyAt(pair.value, offset, [...path, name]);
      if (found !== undefined) return found;
    }
  } else if (isSeq(node)) {
    for (const [index, item] of node.items.entries()) {
      const found = findKeyAt(item, offset, [...path, index]);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

function toProblems(issue: z.core.$ZodIssue): ConfigProblem[] {
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({ key: formatConfigPath([...issue.path, key]), message: 'unknown key' }));
  }
  return [{ key: formatConfigPath(issue.path), message: issue.message }];
}

/** Keys of plain objects in `input` that are absent from the parsed `output` at the same place. */
function strippedKeys(input: unknown, output: unknown, path: PropertyKey[]): PropertyKey[][] {
  if (Array.isArray(input) && Array.isArray(output)) {
    if (input.length !== output.length) return [];
    return input.flatMap((item: unknown, i) => strippedKeys(item, output[i], [...path, i]));
  }
  if (!isPlainObject(input) || !isPlainObject(output)) return [];
  return Object.keys(input).flatMap((key) =>
    Object.hasOwn(output, key) ? strippedKeys(input[key], output[key], [...path, key]) : [[...path, key]],
  );
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}
