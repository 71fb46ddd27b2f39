import type { Directory } from '../../cluster/directory.js';
import type { FirmDb } from './db/firmDb.js';
import type { Loaders } from './loaders.js';
import type { ReadRecorder } from './readRecorder.js';
import type { Caller } from '../../identity/caller.js';
import type { RequestAccess } from './requestAccess.js';
import type { GatewayQuery } from './receipts/gatewayQuery.js';

/** What every resolver of a firm subgraph sees for one request. */
export interface FirmContext {
  /** The firm this subgraph serves: it answers only for rows it owns. */
  firmId: string;
  access: RequestAccess;
  loaders: Loaders;
  db: FirmDb;
  /** What this request read and was refused: the access log entry's content. */
  reads: ReadRecorder;
  /** The cluster directory as this request found it (members, relationships, terms). */
  directory: Directory;
  /** The owner's policy applied to another caller (the owner's admins explaining someone's access). */
  accessAs: (caller: Caller) => Promise<RequestAccess>;
  /** The cluster's purpose vocabulary (ids) under the terms in force; undefined when the cluster publishes no terms. */
  purposes: readonly string[] | undefined;
  /** When the request arrived: every decision of the request is taken at this instant. */
  now: Date;
  /**
   * The cluster's gateway, asked on behalf of this request's own user (with its token): a
   * receipt checks the supplier's shipment through it. Absent when the firm has no `gatewayUrl`.
   */
  gateway?: GatewayQuery;
  /**
   * The cluster's gateway asked as this firm itself (a firm token of its service key, role
   * `firm`, the purpose given): a firm asking its suppliers or customers for itself. Absent
   * when the firm has no `gatewayUrl` or no service key.
   */
  asFirm?: (purpose?: string) => GatewayQuery;
  /** The firm's courier of quality notifications: `kick()` after a change to deliver it now. */
  notifications?: { kick(): void };
}
