import type { Directory } from '../../cluster/directory.js';
import { parsePolicy } from '../../policies/parsePolicy.js';
import type { PolicyDocument } from '../../policies/policyFile.js';
import type { DataModel } from '../../schema/model.js';
import type { PublishedPolicy } from './publishedPolicy.js';

interface Cached {
  at: number;
  policy: PolicyDocument | undefined;
}

/**
 * Other members' published policies (`GET /policy` of their subgraph), for give-to-get
 * rules: an owner permits a reciprocity rule only while the caller firm's own policy grants
 * the owner the same kind of data. Kept for `ttlMs` (default 30 s); a peer that cannot be
 * read, or whose policy does not parse, counts as granting nothing (fail closed).
 */
export class PeerPolicies {
  private readonly cache = new Map<string, Cached>();
  private readonly pending = new Map<string, Promise<PolicyDocument | undefined>>();

  constructor(
    private readonly model: DataModel,
    private readonly options: { ttlMs?: number; timeoutMs?: number } = {},
  ) {}

  /** The peer's published policy, or undefined when it cannot be had. */
  async get(directory: Directory, firmId: string): Promise<PolicyDocument | undefined> {
    const hit = this.cache.get(firmId);
    if (hit && Date.now() - hit.at < (this.options.ttlMs ?? 30_000)) return hit.policy;
    let p = this.pending.get(firmId);
    if (!p) {
      p = this.fetch(directory, firmId).finally(() => this.pending.delete(firmId));
      this.pending.set(firmId, p);
    }
    return p;
  }

  private async fetch(directory: Directory, firmId: string): Promise<PolicyDocument | undefined> {
    const member = directory.members.find((m) => m.id === firmId);
    let policy: PolicyDocument | undefined;
    if (member?.endpoints.firm) {
      try {
        const res = await fetch(new URL('/policy', member.endpoints.firm), { signal: AbortSignal.timeout(this.options.timeoutMs ?? 2_000) });
        const published = (await res.json()) as PublishedPolicy;
        if (res.ok && published.firm === firmId) {
          policy = parsePolicy(published.source, { file: `published policy of ${firmId}`, format: published.format, model: this.model, expectedFirm: firmId });
        }
      } catch {
        policy = undefined;
      }
    }
    this.cache.set(firmId, { at: Date.now(), policy });
    return policy;
  }
}
