import type { GraphQLFormattedError } from 'graphql';
import type { OwnerArgument, OwnerRoutedOperation } from './parseRoutedOperation.js';
import { ROUTING_ERROR_CODES } from './types.js';
import type { FetchPlanResult, OwnerResult, SubgraphRequest, SubgraphResponse } from './types.js';

function refusal(code: string, message: string): FetchPlanResult {
  return { kind: 'refused', response: { data: null, errors: [{ message, extensions: { code } }] } };
}

/** The owner an argument names for this request's variables; undefined when none. */
function ownerNamed(argument: OwnerArgument, variables: Readonly<Record<string, unknown>>): string | undefined {
  const value = argument.kind === 'literal' ? argument.value : variables[argument.name];
  if (typeof value === 'string') return value === '' ? undefined : value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

/**
 * Plans a request whose root fields are routed by their `firmId` argument (the gateway's
 * `mutation($a: ID!, $i: AccessRequestInput!) { requestAccess(firmId: $a, input: $i) {...} }`,
 * or a query of the same shape): the whole request goes, unchanged, to the one owner its
 * root fields name. Refused, and sent nowhere: root fields naming different owners
 * (`NOT_ROUTABLE`, naming each field and its owner), a `firmId` that has no value
 * (`OWNER_MISSING`). A failed owner turns every root field into null with one error each
 * (path `[alias]`, the failure's code and `firmId`); the owner's own errors keep their
 * paths and are tagged with `extensions.firmId`. Root `__typename` is answered locally
 * when the owner could not answer it. Pure: no I/O.
 *
 * @example
 * const parsed = parseRoutedOperation('mutation($a: ID!){ revokeAgreement(firmId: $a, agreementId: "x") { state } }');
 * if (parsed.ok && parsed.operation.kind === 'rootFields') {
 *   const result = rootFieldPlan(parsed.operation, { query, variables: { a: 'structura' } });
 *   // result.kind === 'plan'; result.plan.requests → [{ owner: 'structura', request: <the same request>, representations: 0 }]
 *   result.plan.reassemble(new Map([['structura', { kind: 'failure', code: 'FIRM_TIMEOUT', message: '...' }]]));
 *   // → { data: { revokeAgreement: null }, errors: [{ message: '...', path: ['revokeAgreement'],
 *   //      extensions: { code: 'FIRM_TIMEOUT', firmId: 'structura' } }] }
 * }
 */
export function rootFieldPlan(operation: OwnerRoutedOperation, request: SubgraphRequest): FetchPlanResult {
  const variables = request.variables ?? {};
  const owners = new Map<string, string[]>();
  for (const field of operation.fields) {
    const owner = ownerNamed(field.owner, variables);
    if (owner === undefined) {
      const where = field.owner.kind === 'variable' ? `its variable $${field.owner.name} has no value` : 'it is empty';
      return refusal(ROUTING_ERROR_CODES.OWNER_MISSING, `root field ${field.alias} names no owner: the firmId argument is not an ID (${where})`);
    }
    const aliases = owners.get(owner) ?? [];
    if (!aliases.includes(field.alias)) aliases.push(field.alias);
    owners.set(owner, aliases);
  }
  if (owners.size > 1) {
    const named = [...owners].map(([owner, aliases]) => `${aliases.join(', ')} → ${owner}`).join('; ');
    return refusal(
      ROUTING_ERROR_CODES.NOT_ROUTABLE,
      `root fields of one request must name the same firm (firmId), but they name ${owners.size}: ${named}; send one request per firm`,
    );
  }
  const aliases = [...new Set(operation.fields.map((f) => f.alias))];
  const local = (): Record<string, unknown> => {
    const data: Record<string, unknown> = {};
    for (const alias of aliases) data[alias] = null;
    for (const alias of operation.typenameAliases) data[alias] = operation.rootType;
    return data;
  };
  const owner = owners.keys().next().value;
  if (owner === undefined) {
    // Only `__typename`: nothing to send.
    return { kind: 'plan', plan: { requests: [], reassemble: () => ({ data: local() }) } };
  }

  const reassemble = (results: ReadonlyMap<string, OwnerResult>): SubgraphResponse => {
    const result: OwnerResult = results.get(owner) ?? {
      kind: 'failure',
      code: 'FIRM_UNAVAILABLE',
      message: `firm ${owner} gave no answer`,
    };
    if (result.kind === 'failure') {
      return {
        data: local(),
        errors: aliases.map((alias) => ({ message: result.message, path: [alias], extensions: { code: result.code, firmId: owner } })),
      };
    }
    const data = { ...local(), ...(result.response.data ?? {}) };
    const errors = (result.response.errors ?? []).map(
      (error): GraphQLFormattedError => ({
        ...error,
        extensions: { ...error.extensions, code: error.extensions?.['code'] ?? ROUTING_ERROR_CODES.DOWNSTREAM_SERVICE_ERROR, firmId: owner },
      }),
    );
    return errors.length > 0 ? { data, errors } : { data };
  };

  return { kind: 'plan', plan: { requests: [{ owner, request, representations: 0 }], reassemble } };
}
