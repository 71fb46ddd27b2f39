import { join } from 'node:path';
import { clusterAudience, DEFAULT_MAX_TOKEN_LIFETIME_SECONDS, memberIssuer } from '../../cluster/directory.js';
import { ConfigError } from '../../config/configError.js';
import { demoClusterMembers, demoDataDir } from '../../demo/demoCluster.js';
import { analyticsRoleProblem } from '../../policies/analyticsRole.js';
import { readPrivateKey } from '../../identity/keys.js';
import { signUserToken } from '../../identity/userToken.js';
import { parseCommandLine } from '../parseCommandLine.js';
import { signTokenWithKey } from './signWithKey.js';

/**
 * `dataspace token --firm <firmId> [--role <role>]... [--purpose <p>] [--subject <user>] [--ttl <s>]`
 * `  [--key <private key file> (--cluster <id> | --config <firm.yaml>) [--issuer <iss>]]`:
 * prints a JWT for a user of a firm; its header names the key (`kid`).
 * - With `--key`: any member, signed with its user-token key (signWithKey.ts): the cluster by
 *   `--cluster` (issuer and audience by convention) or read from the registry with `--config`.
 * - Without: a demo firm (or a firm that joined the demo), signed with its key from the demo's
 *   data folder (the demo must have run once to create the keys).
 * `--ttl` (default 3600) at most the member's maximum token lifetime (4 hours unless the registry says less).
 */
export async function tokenCommand(argv: string[]): Promise<void> {
  const { values } = parseCommandLine(argv, {
    firm: { type: 'string' },
    role: { type: 'string', multiple: true },
    purpose: { type: 'string' },
    subject: { type: 'string' },
    ttl: { type: 'string' },
    key: { type: 'string' },
    cluster: { type: 'string' },
    config: { type: 'string' },
    issuer: { type: 'string' },
  });
  const firmId = values.firm;
  if (!firmId) throw new ConfigError('command line', '--firm', 'required: the id of the firm whose user the token is for');
  const ttl = values.ttl === undefined ? 3600 : Number(values.ttl);
  if (!Number.isInteger(ttl) || ttl <= 0 || ttl > DEFAULT_MAX_TOKEN_LIFETIME_SECONDS) {
    throw new ConfigError('command line', '--ttl', `expected seconds from 1 to ${DEFAULT_MAX_TOKEN_LIFETIME_SECONDS} (the members' maximum token lifetime)`);
  }
  const roles = values.role && values.role.length > 0 ? values.role : ['planner'];
  const toolProblem = analyticsRoleProblem(roles);
  if (toolProblem) throw new ConfigError('command line', '--role', toolProblem);
  // The demo's members as its registry file lists them: a firm that joined (`dataspace init firm`) too.
  const cluster = demoClusterMembers();
  const member = cluster.members.find((m) => m.id === firmId);
  if (values.key) {
    const token = await signTokenWithKey(
      {
        firmId,
        keyFile: values.key,
        ...(values.cluster ? { clusterId: values.cluster } : {}),
        ...(values.config ? { configFile: values.config } : {}),
        ...(values.issuer ? { issuer: values.issuer } : {}),
        roles,
        ...(values.purpose ? { purpose: values.purpose } : {}),
        ...(values.subject ? { subject: values.subject } : {}),
        ttlSeconds: ttl,
      },
      member ? cluster.clusterId : undefined,
    );
    process.stdout.write(`${token}\n`);
    return;
  }
  for (const option of ['cluster', 'config', 'issuer'] as const) {
    if (values[option]) throw new ConfigError('command line', `--${option}`, 'goes with --key <the member\'s user-token private key file>');
  }
  if (!member) {
    throw new ConfigError(
      'command line',
      '--key',
      `"${firmId}" is not a demo firm (demo firms: ${cluster.members.map((m) => m.id).join(', ')}): a member's users get a token from its identity provider, or sign one with its user-token key: npx dataspace token --firm ${firmId} --key <its .key.pem> --cluster <clusterId>`,
    );
  }
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
