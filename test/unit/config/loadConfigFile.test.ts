import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError } from '../../../config/configError.js';
import { loadConfigFile } from '../../../config/loadConfigFile.js';

const dir = mkdtempSync(join(tmpdir(), 'dataspace-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

function failure(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

const schema = z.strictObject({
  port: z.number().int(),
  database: z.strictObject({ url: z.string().startsWith('postgres://', 'expected a postgres:// URL') }),
  firms: z.array(z.strictObject({ id: z.string(), port: z.number().int() })).default([]),
});

/** The same shape declared with non-strict objects: the loader must still refuse unknown keys. */
const lenientSchema = z.object({
  port: z.number(),
  database: z.object({ url: z.string() }),
  firms: z.array(z.object({ id: z.string() })).default([]),
});

describe('loadConfigFile', () => {
  it('loads valid YAML and JSON, defaults applied', () => {
    const yaml = file('ok.yaml', 'port: 4000\ndatabase:\n  url: postgres://localhost/acme\n');
    expect(loadConfigFile(yaml, schema)).toEqual({ port: 4000, database: { url: 'postgres://localhost/acme' }, firms: [] });
    const json = file('ok.json', JSON.stringify({ port: 1, database: { url: 'postgres://x' }, firms: [{ id: 'a', port: 2 }] }));
    expect(loadConfigFile(json, schema).firms).toEqual([{ id: 'a', port: 2 }]);
  });

  it('a schema message reads "config file <file>, key <dotted key>: <message>"', () => {
    const path = file('firm.yaml', 'port: 4000\ndatabase:\n  url: mysql://x\n');
    const error = failure(() => loadConfigFile(path, schema));
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.file).toBe(path);
    expect(error.key).toBe('database.url');
    expect(error.message).toBe(`config file ${path}, key database.url: expected a postgres:// URL`);
  });

  it('wrong type names the key, with array indexes', () => {
    const path = file('types.yaml', 'port: 1\ndatabase: { url: "postgres://x" }\nfirms:\n  - { id: a, port: 1 }\n  - { id: b, port: 2 }\n  - { id: c, port: "80" }\n');
    const error = failure(() => loadConfigFile(path, schema));
    expect(error.key).toBe('firms[2].port');
    expect(error.message).toContain('expected number');
  });

  it('reports every problem, the first one as the key', () => {
    const path = file('many.json', JSON.stringify({ port: 'x', database: {} }));
    const error = failure(() => loadConfigFile(path, schema));
    expect(error.problems.map((p) => p.key)).toEqual(['port', 'database.url']);
    expect(error.message.split('\n')).toHaveLength(2);
  });

  it('an unknown key names the key (strict schema)', () => {
    const path = file('unknown.yaml', 'port: 1\ndatabase:\n  url: postgres://x\n  pool: 5\n');
    const error = failure(() => loadConfigFile(path, schema));
    expect(error.key).toBe('database.pool');
    expect(error.message).toBe(`config file ${path}, key database.pool: unknown key`);
  });

  it('an unknown key names the key even when the schema objects are not strict', () => {
    const path = file('unknown-lenient.yaml', 'port: 1\ndatabase: { url: x }\nfirms:\n  - { id: a, prot: 1 }\n');
    const error = failure(() => loadConfigFile(path, lenientSchema));
    expect(error.key).toBe('firms[0].prot');
    expect(loadConfigFile(path, lenientSchema, { strict: false }).firms).toEqual([{ id: 'a' }]);
  });

  it('records keep their keys (not reported as unknown)', () => {
    const path = file('record.yaml', 'labels:\n  a: x\n  b: y\n');
    expect(loadConfigFile(path, z.object({ labels: z.record(z.string(), z.string()) }))).toEqual({ labels: { a: 'x', b: 'y' } });
  });

  it('a missing file names the file', () => {
    const path = join(dir, 'absent.yaml');
    const error = failure(() => loadConfigFile(path, schema));
    expect(error.file).toBe(path);
    expect(error.message).toBe(`config file ${path}: file not found`);
  });

  it('YAML duplicate keys are refused, naming the key', () => {
    const path = file('dup.yaml', 'port: 1\ndatabase:\n  url: postgres://a\n  url: postgres://b\n');
    const error = failure(() => loadConfigFile(path, schema));
    expect(error.key).toBe('database.url');
    expect(error.message).toMatch(/key database.url: duplicate key at line 4, column 3$/);
  });

  it('JSON duplicate keys are refused too', () => {
    const path = file('dup.json', '{"port": 1, "port": 2, "database": {"url": "postgres://x"}}');
    expect(failure(() => loadConfigFile(path, schema)).key).toBe('port');
  });

  it('syntax errors and unsupported extensions are ConfigErrors naming the file', () => {
    expect(failure(() => loadConfigFile(file('bad.yaml', 'a: [1, 2\nb: : :'), schema)).message).toMatch(/invalid YAML/);
    expect(failure(() => loadConfigFile(file('bad.json', '{"port": '), schema)).message).toMatch(/invalid JSON/);
    expect(failure(() => loadConfigFile(file('conf.toml', 'port = 1'), schema)).message).toMatch(/unsupported file type/);
    expect(failure(() => loadConfigFile(file('empty.yaml', ''), schema)).message).toMatch(/: the file is empty$/);
  });

  it('YAML 1.2: `no` stays a string, and __proto__ is an unknown key, not a prototype', () => {
    const path = file('yaml12.yaml', 'name: no\n');
    expect(loadConfigFile(path, z.strictObject({ name: z.string() }))).toEqual({ name: 'no' });
    const proto = file('proto.json', '{"name": "x", "__proto__": {"polluted": true}}');
    expect(failure(() => loadConfigFile(proto, z.object({ name: z.string() }))).key).toBe('__proto__');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
