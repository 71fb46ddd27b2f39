import { join } from 'node:path';
import { clusterAudience, DEFAULT_MAX_TOKEN_LIFETIME_SECONDS, memberIssuer } from '../../cluster/directory.js';
import { ConfigError } from '../../config/configError.js';
import { demoClusterMembers, demoDataDir } from '../../demo/demoCluster.js';
import { readPrivateKey } from '../../identity/keys.js';
import { signUserToken } from '../../identity/userToken.js';
import { parseCommandLine } from '../parseCommandLine.js';

/**
 * `dataspace token --firm <firmId> [--role <role>]... [--purpose <p>] [--subject <user>] [--ttl <s>]`:
 * prints a JWT for a user of a demo firm (or of a firm that joined the demo), signed with that firm's key from the demo's data
 * folder (the demo must have run once to create the keys); its header names the key (`kid`).
 * `--ttl` at most the members' default maximum token lifetime (4 hours): longer tokens are refused.
 */
export async function tokenCommand(argv: string[]): Promise<void> {
  const { values } = parseCommandLine(argv, {
    firm: { type: 'string' },
    role: { type: 'string', multiple: true },
    purpose: { type: 'string' },
    subject: { type: 'string' },
    ttl: { type: 'string' },
  });
  const firmId = values.firm;
  if (!firmId) throw new ConfigError('command line', '--firm', 'required: the id of the firm whose user the token is for');
  // The demo's members as its registry file lists them: a firm that joined (`dataspace init firm`) too.
  const cluster = demoClusterMembers();
  const member = cluster.members.find((m) => m.id === firmId);
  if (!member) {
    throw new ConfigError('command line', '--firm', `unknown demo firm "${firmId}" (known: ${cluster.members.map((m) => m.id).join(', ')})`);
  }
  const ttl = values.ttl === undefined ? 3600 : Number(values.ttl);
  if (!Number.isInteger(ttl) || ttl <= 0 || ttl > DEFAULT_MAX_TOKEN_LIFETIME_SECONDS) {
    throw new ConfigError('command line', '--ttl', `expected seconds from 1 to ${DEFAULT_MAX_TOKEN_LIFETIME_SECONDS} (the members' maximum token lifetime)`);
  }
  const roles = values.role && values.role.length > 0 ? values.role : ['planner'];
  let privateKeyPem: string;
  try {
    privateKeyPem = readPrivateKey(join(demoDataDir(), 'keys'), firmId);
  } catch (err) {
    throw new ConfigError('environment', 'DATASPACE_DATA_DIR', `${(err as Error).message} (start the demo once with \`npm start\` to create the keys)`);
  }
  const token = signUserToken({
    privateKeyPem,
    issuer: memberIssuer(cluster.clusterId, firmId),
    audience: clusterAudience(cluster.clusterId),
    firmId,
    subject: values.subject ?? `${roles[0]}@${firmId}`,
    roles,
    ...(values.purpose ? { purpose: values.purpose } : {}),
    ttlSeconds: ttl,
  });
  process.stdout.write(`${token}\n`);
}
