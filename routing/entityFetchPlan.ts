import { valueFromASTUntyped } from 'graphql';
import type { GraphQLFormattedError } from 'graphql';
import { ownerOf } from './ownerOf.js';
import { parseRoutedOperation } from './parseRoutedOperation.js';
import type { EntitiesField } from './parseRoutedOperation.js';
import { rootFieldPlan } from './rootFieldPlan.js';
import { ROUTING_ERROR_CODES } from './types.js';
import type { FetchPlan, FetchPlanResult, OwnerRequest, OwnerResult, SubgraphRequest, SubgraphResponse } from './types.js';

export type { OwnerRequest } from './types.js';

/** How to split one request by owner and how to put the answers back (see {@link FetchPlan}). */
export type EntityFetchPlan = FetchPlan;

export type EntityFetchPlanResult = FetchPlanResult;

/** Where an original representation went: to `owner`, at `position` of its list. */
interface Slot {
  owner: string;
  position: number;
}

/** One representation list (one variable), split by owner. */
interface SplitList {
  size: number;
  /** By original index; undefined = no owner. */
  slots: Array<Slot | undefined>;
  /** Owner → its distinct representations. */
  byOwner: Map<string, unknown[]>;
  /** Owner → position in its list → original indexes. */
  origins: Map<string, number[][]>;
}

function refusal(code: string, message: string): EntityFetchPlanResult {
  return { kind: 'refused', response: { data: null, errors: [{ message, extensions: { code } }] } };
}

/**
 * Plans a request of a firm-served subgraph. An `_entities` request: groups the
 * representations of every root `_entities` field by owner, sends each distinct
 * representation once, and says how to reassemble. Any other request: its root fields must
 * all take a `firmId` argument naming one and the same owner, which gets the request whole
 * (see {@link rootFieldPlan}); otherwise it is refused (`NOT_ROUTABLE`).
 * Pure: no I/O, the parsed operation is cached by query text.
 *
 * @example
 * const result = entityFetchPlan({
 *   query: 'query($representations:[_Any!]!){_entities(representations:$representations){...on Lot{name}}}',
 *   variables: { representations: [
 *     { __typename: 'Lot', firmId: 'a', lotId: '1' },
 *     { __typename: 'Lot', firmId: 'b', lotId: '2' },
 *     { __typename: 'Lot', firmId: 'a', lotId: '1' },
 *   ] },
 * });
 * if (result.kind === 'plan') {
 *   result.plan.requests.map((r) => r.owner); // ['a', 'b'], firm a receives lot 1 once
 *   const response = result.plan.reassemble(new Map([
 *     ['a', { kind: 'response', response: { data: { _entities: [{ name: 'a1' }] } } }],
 *     ['b', { kind: 'failure', code: 'FIRM_TIMEOUT', message: 'firm b did not answer within 5000 ms' }],
 *   ]));
 *   // response.data._entities → [{ name: 'a1' }, null, { name: 'a1' }], one FIRM_TIMEOUT error at ['_entities', 1]
 * }
 */
export function entityFetchPlan(request: SubgraphRequest): EntityFetchPlanResult {
  const parsed = parseRoutedOperation(request.query, request.operationName);
  if (!parsed.ok) return refusal(parsed.code, parsed.message);
  const { operation } = parsed;
  if (operation.kind === 'rootFields') return rootFieldPlan(operation, request);
  const variables = request.variables ?? {};

  const lists = new Map<string, SplitList>();
  const owners: string[] = [];
  for (const field of operation.fields) {
    if (lists.has(field.listVariable)) continue;
    const literal = operation.literalLists.get(field.listVariable);
    const value = literal ? valueFromASTUntyped(literal, variables) : variables[field.listVariable];
    if (!Array.isArray(value)) {
      return refusal(
        ROUTING_ERROR_CODES.NOT_ROUTABLE,
        `representations of _entities field ${field.alias} ($${field.listVariable}) are not a list`,
      );
    }
    lists.set(field.listVariable, splitByOwner(value, owners));
  }

  const requests = owners.map((owner): OwnerRequest => {
    const ownVariables: Record<string, unknown> = { ...variables };
    let representations = 0;
    for (const [name, list] of lists) {
      const reps = list.byOwner.get(owner) ?? [];
      ownVariables[name] = reps;
      representations += reps.length;
    }
    const ownRequest: SubgraphRequest = { query: operation.query, variables: ownVariables };
    if (request.operationName !== undefined) ownRequest.operationName = request.operationName;
    return { owner, request: ownRequest, representations };
  });

  const reassemble = (results: ReadonlyMap<string, OwnerResult>): SubgraphResponse => {
    const data: Record<string, unknown> = {};
    const errors: GraphQLFormattedError[] = [];
    for (const alias of operation.typenameAliases) data[alias] = 'Query';
    const resultOf = (owner: string): OwnerResult =>
      results.get(owner) ?? { kind: 'failure', code: 'FIRM_UNAVAILABLE', message: `firm ${owner} gave no answer` };

    for (const field of operation.fields) {
      const list = lists.get(field.listVariable);
      if (!list) continue;
      data[field.alias] = list.slots.map((slot) => {
        if (!slot) return null;
        const result = resultOf(slot.owner);
        if (result.kind === 'failure') return null;
        const answers = result.response.data?.[field.alias];
        return Array.isArray(answers) ? ((answers[slot.position] as unknown) ?? null) : null;
      });
    }

    for (const owner of owners) {
      const result = resultOf(owner);
      if (result.kind === 'failure') {
        forEachSlot(operation.fields, lists, (field, index, slot) => {
          if (slot?.owner !== owner) return;
          errors.push({
            message: result.message,
            path: [field.alias, index],
            extensions: { code: result.code, firmId: owner },
          });
        });
        continue;
      }
      for (const error of result.response.errors ?? []) {
        errors.push(...reindex(error, owner, operation.fields, lists));
      }
    }

    forEachSlot(operation.fields, lists, (field, index, slot) => {
      if (slot) return;
      errors.push({
        message: `representation ${index} of ${field.alias} names no owner (firmId, or id for Firm and FirmRef)`,
        path: [field.alias, index],
        extensions: { code: ROUTING_ERROR_CODES.OWNER_MISSING },
      });
    });

    return errors.length > 0 ? { data, errors } : { data };
  };

  return { kind: 'plan', plan: { requests, reassemble } };
}

function splitByOwner(reps: readonly unknown[], owners: string[]): SplitList {
  const list: SplitList = { size: reps.length, slots: [], byOwner: new Map(), origins: new Map() };
  const positions = new Map<string, number>();
  reps.forEach((rep, index) => {
    const owner = ownerOf(rep);
    if (owner === undefined) {
      list.slots.push(undefined);
      return;
    }
    if (!owners.includes(owner)) owners.push(owner);
    const key = `${owner}\u0000${stableStringify(rep)}`;
    let position = positions.get(key);
    let ownReps = list.byOwner.get(owner);
    let ownOrigins = list.origins.get(owner);
    if (!ownReps || !ownOrigins) {
      ownReps = [];
      ownOrigins = [];
      list.byOwner.set(owner, ownReps);
      list.origins.set(owner, ownOrigins);
    }
    if (position === undefined) {
      position = ownReps.length;
      positions.set(key, position);
      ownReps.push(rep);
      ownOrigins.push([]);
    }
    ownOrigins[position]?.push(index);
    list.slots.push({ owner, position });
  });
  return list;
}

function forEachSlot(
  fields: readonly EntitiesField[],
  lists: ReadonlyMap<string, SplitList>,
  visit: (field: EntitiesField, index: number, slot: Slot | undefined) => void,
): void {
  for (const field of fields) {
    lists.get(field.listVariable)?.slots.forEach((slot, index) => visit(field, index, slot));
  }
}

/** A firm's error, tagged with its firmId, at every original index its path stands for. */
function reindex(
  error: GraphQLFormattedError,
  owner: string,
  fields: readonly EntitiesField[],
  lists: ReadonlyMap<string, SplitList>,
): GraphQLFormattedError[] {
  const extensions = { ...error.extensions, code: error.extensions?.['code'] ?? ROUTING_ERROR_CODES.DOWNSTREAM_SERVICE_ERROR, firmId: owner };
  const { path, ...rest } = error;
  const tagged: GraphQLFormattedError = { ...rest, extensions };
  if (!path) return [tagged];
  const [alias, position, ...tail] = path;
  const field = fields.find((f) => f.alias === alias);
  if (!field || typeof position !== 'number') return [{ ...tagged, path }];
  const origins = lists.get(field.listVariable)?.origins.get(owner)?.[position];
  // An index the owner was never sent: keep the error once, pointing at the field only.
  if (!origins || origins.length === 0) return [{ ...tagged, path: [field.alias] }];
  return origins.map((index) => ({ ...tagged, path: [field.alias, index, ...tail] }));
}

/** JSON with object keys sorted, so that equal representations compare equal. */
function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record).filter((k) => record[k] !== undefined).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${stableStringify(record[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
