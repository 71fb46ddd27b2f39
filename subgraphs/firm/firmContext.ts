import type { FirmDb } from './db/firmDb.js';
import type { Loaders } from './loaders.js';
import type { RequestAccess } from './requestAccess.js';

/** What every resolver of a firm subgraph sees for one request. */
export interface FirmContext {
  /** The firm this subgraph serves: it answers only for rows it owns. */
  firmId: string;
  access: RequestAccess;
  loaders: Loaders;
  db: FirmDb;
}
