/**
 * What the gateway tells a caller who sent no token: how a user of the firm at hand gets one.
 * The gateway knows that firm only if the request says it (the `x-dataspace-firm` header, a
 * hint that proves nothing and grants nothing); without it, the answer names every way.
 */
import type { Directory } from '../cluster/directory.js';

/** The request header in which a caller without a token may name its firm, to be told how its users get one. */
export const FIRM_HINT_HEADER = 'x-dataspace-firm';

/** How the cluster's firms sign tokens, as far as the gateway knows. */
export interface TokenAdviceOptions {
  /** The firms' user-token keys are the demo's (its data folder): `npx dataspace token --firm <id>` signs with them. */
  demoKeys?: boolean;
}

/**
 * The message of the gateway's UNAUTHENTICATED refusal for a request from `firmId` (or from an
 * unnamed firm): the member's identity provider when it has one, `npx dataspace token` with the
 * member's user-token key when it signs tokens itself (without `--key` in the demo).
 *
 * @example
 * ```ts
 * tokenAdvice(directory, 'structura');
 * // 'A bearer token is required: users of structura get one from its identity provider (issuer https://login.structura.example/realms/aero).'
 * ```
 */
export function tokenAdvice(directory: Directory, firmId: string | undefined, options: TokenAdviceOptions = {}): string {
  const cluster = directory.clusterId;
  const command = (id: string): string =>
    options.demoKeys ? `\`npx dataspace token --firm ${id}\`` : `\`npx dataspace token --firm ${id} --key <${id}'s user-token key file> --cluster ${cluster}\``;
  if (firmId === undefined) {
    const ways = [
      ...(directory.members.some((m) => m.identityProvider) ? ["a member's identity provider, for the members that have one"] : []),
      options.demoKeys ? '`npx dataspace token --firm <firmId>`' : `\`npx dataspace token --firm <firmId> --key <the firm's user-token key file> --cluster ${cluster}\``,
    ];
    return `A bearer token is required: get one from ${ways.join(', or from ')}. Send \`${FIRM_HINT_HEADER}: <firmId>\` to be told the way for your firm.`;
  }
  const member = directory.members.find((m) => m.id === firmId);
  if (!member) return `A bearer token is required; ${firmId} is not a member of cluster ${cluster}.`;
  const idp = member.identityProvider;
  if (idp) {
    const also = member.publicKeys.length > 0 ? `, or from ${command(firmId)}` : '';
    return `A bearer token is required: users of ${firmId} get one from its identity provider (issuer ${idp.issuer})${also}.`;
  }
  return `A bearer token is required: users of ${firmId} get one from ${command(firmId)}.`;
}

/**
 * The firm a request names in {@link FIRM_HINT_HEADER}, when it is a well-formed id; anything
 * else is ignored (nothing of it is echoed).
 * @example firmHint({ 'x-dataspace-firm': 'structura' }); // 'structura'
 */
export function firmHint(headers: Readonly<Record<string, string | string[] | undefined>>): string | undefined {
  const raw = headers[FIRM_HINT_HEADER];
  const value = Array.isArray(raw) ? raw[0] : raw;
  return value !== undefined && /^[a-z0-9][a-z0-9-]{0,62}$/.test(value.trim()) ? value.trim() : undefined;
}
