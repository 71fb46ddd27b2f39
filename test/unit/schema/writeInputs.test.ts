import { Kind, parse, type InputObjectTypeDefinitionNode, type TypeNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { TABLE_SPECS, type ColumnType } from '../../../subgraphs/firm/data/tableSpecs.js';
import { subgraphSdl } from '../../../schema/supergraph.js';

/** How the write API's input fields type each column kind: as JSON carries it, so that the core checks the rest. */
const INPUT_TYPE: Partial<Record<ColumnType, string>> = { id: 'ID', text: 'String', int: 'Int', float: 'Float', enum: 'String', date: 'String', datetime: 'String' };

const inputs = new Map(
  parse(subgraphSdl('firm'))
    .definitions.filter((d): d is InputObjectTypeDefinitionNode => d.kind === Kind.INPUT_OBJECT_TYPE_DEFINITION)
    .map((d) => [d.name.value, d]),
);

function fieldsOf(name: string): Record<string, string> {
  const def = inputs.get(name);
  if (!def) throw new Error(`no input ${name}`);
  const show = (t: TypeNode): string => (t.kind === Kind.NAMED_TYPE ? t.name.value : t.kind === Kind.LIST_TYPE ? `[${show(t.type)}]` : `${show(t.type)}!`);
  return Object.fromEntries((def.fields ?? []).map((f) => [f.name.value, show(f.type)]));
}

describe('the write API inputs of schema/firm.graphql follow the data-format core', () => {
  it('RowsInput and RowKeysInput have one list per importable table', () => {
    expect(Object.keys(fieldsOf('RowsInput')).sort()).toEqual(TABLE_SPECS.map((s) => s.table).sort());
    expect(Object.keys(fieldsOf('RowKeysInput')).sort()).toEqual(TABLE_SPECS.map((s) => s.table).sort());
  });

  it('each row input has exactly its table\'s columns, nullable (presence is the core\'s to check), typed as JSON carries them; each key input its key', () => {
    for (const spec of TABLE_SPECS) {
      const list = fieldsOf('RowsInput')[spec.table] ?? '';
      const rowType = /^\[(\w+)Input!\]$/.exec(list)?.[1];
      expect(rowType, `${spec.table}: ${list}`).toBeDefined();
      expect(fieldsOf(`${rowType}Input`)).toEqual(Object.fromEntries(spec.columns.map((c) => [c.name, INPUT_TYPE[c.type]])));
      expect(fieldsOf('RowKeysInput')[spec.table]).toBe(`[${rowType}KeyInput!]`);
      const keyColumns = spec.key.map((k) => spec.columns.find((c) => c.name === k));
      expect(fieldsOf(`${rowType}KeyInput`)).toEqual(Object.fromEntries(keyColumns.map((c) => [c?.name, INPUT_TYPE[c?.type ?? 'text']])));
    }
  });
});
