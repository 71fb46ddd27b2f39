import type { FirmTables } from '../subgraphs/firm/db/tables.js';

/** The rows of one firm's database, one array per table, ready for `insertFirmSeed`. */
export type FirmSeed = { firmId: string } & {
  [K in keyof FirmTables]: Array<FirmTables[K]['$inferInsert']>;
};

/** A whole cluster's data: one {@link FirmSeed} per member, keyed by firm id. */
export interface ClusterSeed {
  clusterId: string;
  /** The "now" of the generated data: statuses (in transit, running, delayed) hold at this instant. */
  asOf: Date;
  firms: Record<string, FirmSeed>;
}
