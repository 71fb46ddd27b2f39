import { GraphQLError } from 'graphql';
import type { Directory } from '../../cluster/directory.js';
import { parseClusterTerms } from '../../policies/parseClusterTerms.js';
import { parsePolicy } from '../../policies/parsePolicy.js';
import type { ClusterTerms, PolicyDocument } from '../../policies/policyFile.js';
import type { DataModel } from '../../schema/model.js';
import type { PublishedPolicy } from './publishedPolicy.js';

/** The policy and terms a request is decided under. */
export interface PolicyInForce {
  policy: PolicyDocument;
  terms: ClusterTerms | undefined;
}

function unavailable(code: string, message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code, http: { status: 503 } } });
}

/**
 * A firm's own policy under the cluster terms of the directory. The policy text is parsed
 * at start (a bad file stops the firm); whenever the registry publishes other terms, they
 * are parsed, and the policy is validated again against their purpose vocabulary. A policy
 * that no longer validates, or terms that do not parse, fail closed: the firm answers no
 * request (503 with a stable code) until the operator fixes them.
 * @example const p = new FirmPolicy('structura', publishPolicy('structura', file), model); p.inForce(directory)
 */
export class FirmPolicy {
  /** The policy as parsed at start, without a purpose vocabulary. */
  readonly base: PolicyDocument;
  private cached: { version: string | undefined; value: PolicyInForce | GraphQLError } | undefined;

  constructor(
    readonly firmId: string,
    readonly published: PublishedPolicy,
    private readonly model: DataModel,
  ) {
    this.base = this.parse(undefined);
  }

  private parse(purposes: readonly string[] | undefined): PolicyDocument {
    return parsePolicy(this.published.source, {
      file: this.published.file ?? `policy of ${this.firmId}`,
      format: this.published.format,
      model: this.model,
      expectedFirm: this.firmId,
      ...(purposes ? { purposes } : {}),
    });
  }

  /** The policy and terms in force for the directory's terms (cached per terms version). */
  inForce(directory: Directory): PolicyInForce {
    const version = directory.terms?.version;
    if (!this.cached || this.cached.version !== version) this.cached = { version, value: this.evaluate(directory) };
    if (this.cached.value instanceof GraphQLError) throw this.cached.value;
    return this.cached.value;
  }

  private evaluate(directory: Directory): PolicyInForce | GraphQLError {
    if (!directory.terms) return { policy: this.base, terms: undefined };
    let terms: ClusterTerms;
    try {
      terms = parseClusterTerms(directory.terms.source, { file: 'cluster terms (registry)', model: this.model, format: directory.terms.format });
    } catch (err) {
      return unavailable('TERMS_INVALID', `Firm ${this.firmId} cannot apply the cluster terms: ${(err as Error).message}`);
    }
    try {
      return { policy: this.parse(terms.purposes.map((p) => p.id)), terms };
    } catch (err) {
      return unavailable('POLICY_INVALID', `Firm ${this.firmId}'s policy does not fit the cluster terms: ${(err as Error).message}`);
    }
  }
}
