import { Document, isCollection } from 'yaml';
import { validateConfig } from '../../config/loadConfigFile.js';
import { firmConfigSchema } from './firmConfig.js';

/** What a written firm file says (paths relative to the file, as `dataspace firm` reads them). */
export interface FirmFileInput {
  firmId: string;
  listen: { host: string; port: number };
  /** A PostgreSQL URL, or an embedded PGlite data folder. */
  database: { url: string } | { dataDir: string };
  policyFile: string;
  registryUrl: string;
  serviceKeyFile: string;
  operatorPublicKeyFiles: string[];
  directoryRefreshSeconds: number;
  /** The gateway its receipts check a supplier's shipment through. */
  gatewayUrl?: string;
  /** Comment lines at the top of the file. */
  comment?: string;
}

/**
 * The text of a firm's configuration file (firmConfig.ts), checked against the firm
 * schema before it is returned: what it writes, `dataspace firm --config` starts.
 * @example writeFileAtomically('firms/titanforge.yaml', firmFileText(file, { firmId: 'titanforge', ... }));
 */
export function firmFileText(file: string, input: FirmFileInput): string {
  const { comment, ...config } = input;
  validateConfig(file, config, firmConfigSchema);
  const doc = new Document(config);
  for (const key of ['listen', 'database', 'operatorPublicKeyFiles']) {
    const node = doc.get(key, true);
    if (isCollection(node)) node.flow = true;
  }
  const body = doc.toString({ lineWidth: 0 });
  const head = comment ? `${comment.split('\n').map((l) => `# ${l}`.trimEnd()).join('\n')}\n` : '';
  return `${head}${body}`;
}
