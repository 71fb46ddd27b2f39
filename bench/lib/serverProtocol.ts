import type { ClusterTopology } from '../../cluster/directory.js';
import type { LimitsOverrides } from '../../limits/limitsConfig.js';
import type { LakeRequestCounts } from '../lake/plainSubgraph.js';

/** What a server process serves (see serverProcess.ts). */
export type ServerSpec =
  | {
      kind: 'firm';
      /** One firm: its id. */
      firmIds: [string];
      topology: ClusterTopology;
      seed: { seed?: number; lotsPerFirm?: number };
      policyFile: string;
      registryUrl: string;
      /** The operator's public key the firm's directory client pins, and the firm's service key it reads with. */
      operatorPublicKeyPem: string;
      serviceKeyPem: string;
      accessLog?: boolean;
      limits?: LimitsOverrides;
    }
  | {
      kind: 'plain';
      /** The firms whose rows the plain subgraph's one database holds (one, or all for the lake). */
      firmIds: string[];
      topology: ClusterTopology;
      seed: { seed?: number; lotsPerFirm?: number };
    };

export type ParentMessage = { type: 'start'; spec: ServerSpec } | { type: 'directory' } | { type: 'stats' } | { type: 'stop' };

export type ChildMessage =
  | { type: 'listening'; url: string }
  | { type: 'ready' }
  | { type: 'stats'; statements: number; counts: LakeRequestCounts }
  | { type: 'error'; message: string };
