import type { Directory } from '../../cluster/directory.js';
import type { DirectoryReader } from '../../identity/directoryReaderToken.js';
import { parsePolicy } from '../../policies/parsePolicy.js';
import type { PolicyDocument } from '../../policies/policyFile.js';
import type { DataModel } from '../../schema/model.js';
import { policyReaderToken } from './policyEndpoint.js';
import type { PublishedPolicy } from './publishedPolicy.js';

interface Cached {
  at: number;
  policy: PolicyDocument | undefined;
}

/** Options of {@link PeerPolicies}. */
export interface PeerPoliciesOptions {
  /**
   * This firm as it reads its peers' policies: its id and its service key (a peer's `/policy`
   * is for members only: policyEndpoint.ts). Without it no peer policy is read, and every
   * give-to-get rule counts as not met.
   */
  reader?: DirectoryReader;
  /** How long a peer's policy is kept, default 30 000 ms. */
  ttlMs?: number;
  /** Timeout of one read, default 2 000 ms. */
  timeoutMs?: number;
  /** Called when a peer answers its `/policy` with an error status (this firm is refused: a service key not listed?). */
  onRefused?: (peerId: string, status: number) => void;
}

/**
 * Other members' published policies (`GET /policy` of their subgraph, read as this firm with
 * a reader token of its service key), for give-to-get rules: an owner permits a reciprocity
 * rule only while the caller firm's own policy grants the owner the same kind of data. Kept
 * for `ttlMs` (default 30 s); a peer that cannot be read (or refuses this firm), or whose
 * policy does not parse, counts as granting nothing (fail closed).
 */
export class PeerPolicies {
  private readonly cache = new Map<string, Cached>();
  private readonly pending = new Map<string, Promise<PolicyDocument | undefined>>();

  constructor(
    private readonly model: DataModel,
    private readonly options: PeerPoliciesOptions = {},
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
    const { reader } = this.options;
    if (member?.endpoints.firm && reader) {
      try {
        const res = await fetch(new URL('/policy', member.endpoints.firm), {
          headers: { authorization: `Bearer ${policyReaderToken(reader, directory, firmId)}` },
          signal: AbortSignal.timeout(this.options.timeoutMs ?? 2_000),
        });
        if (!res.ok) this.options.onRefused?.(firmId, res.status);
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
