/**
 * `dataspace token --key`: a user token for ANY member, signed with the member's user-token
 * private key (the key whose public half the registry lists in its `publicKeyFiles`). The
 * cluster is named on the command line (`--cluster <id>`: audience and issuer by the cluster's
 * convention), or read from the registry's signed directory with a firm's own file
 * (`--config <firm.yaml>`: the member's real issuer, audience and maximum lifetime, and a check
 * that the key is one the cluster trusts).
 */
import { createPublicKey } from 'node:crypto';
import { DirectoryClient } from '../../cluster/directoryClient.js';
import { clusterAudience, DEFAULT_MAX_TOKEN_LIFETIME_SECONDS, memberIssuer, type Directory } from '../../cluster/directory.js';
import { ConfigError } from '../../config/configError.js';
import { loadConfigFile } from '../../config/loadConfigFile.js';
import { keyId } from '../../identity/keyId.js';
import { signUserToken } from '../../identity/userToken.js';
import { firmConfigSchema } from '../../subgraphs/firm/firmConfig.js';
import { readOperatorPublicKeys, readPrivateKeyFile } from '../readKeyFiles.js';

/** What the command line asks for. */
export interface KeyTokenRequest {
  firmId: string;
  keyFile: string;
  /** `--cluster`: the cluster's id. */
  clusterId?: string;
  /** `--config`: a firm's own file, to read the directory with its service key. */
  configFile?: string;
  /** `--issuer`: another issuer than the member's. */
  issuer?: string;
  roles: string[];
  purpose?: string;
  subject?: string;
  ttlSeconds: number;
}

/** Where the token goes and how long it may live. */
interface TokenTarget {
  audience: string;
  issuer: string;
  maxTtlSeconds: number;
  /** The member's trusted user-token keys, when the directory was read. */
  trustedKeyIds?: ReadonlySet<string>;
}

/**
 * Signs the token; a missing cluster, an unreadable or untrusted key, or a lifetime over the
 * member's maximum is a ConfigError naming the option.
 * @example process.stdout.write(`${await signTokenWithKey({ firmId: 'structura', keyFile: 'keys/structura.key.pem', clusterId: 'aero', roles: ['planner'], ttlSeconds: 3600 })}\n`);
 */
export async function signTokenWithKey(request: KeyTokenRequest, demoClusterId?: string): Promise<string> {
  const privateKeyPem = readPrivateKeyFile('command line', '--key', request.keyFile);
  const target = request.configFile
    ? await targetFromDirectory(request.configFile, request.firmId, request.issuer)
    : targetByConvention(request.clusterId ?? demoClusterId, request.firmId, request.issuer);
  if (target.trustedKeyIds && !target.trustedKeyIds.has(keyId(createPublicKey(privateKeyPem)))) {
    throw new ConfigError('command line', '--key', `${request.keyFile} is not one of ${request.firmId}'s user-token keys in the directory: the cluster would refuse its tokens`);
  }
  if (request.ttlSeconds > target.maxTtlSeconds) {
    throw new ConfigError('command line', '--ttl', `expected seconds from 1 to ${target.maxTtlSeconds} (${request.firmId}'s maximum token lifetime)`);
  }
  return signUserToken({
    privateKeyPem,
    issuer: target.issuer,
    audience: target.audience,
    firmId: request.firmId,
    subject: request.subject ?? `${request.roles[0] ?? 'user'}@${request.firmId}`,
    roles: request.roles,
    ...(request.purpose ? { purpose: request.purpose } : {}),
    ttlSeconds: request.ttlSeconds,
  });
}

function targetByConvention(clusterId: string | undefined, firmId: string, issuer: string | undefined): TokenTarget {
  if (!clusterId) {
    throw new ConfigError('command line', '--cluster', `required with --key for ${firmId}: the id of its cluster (its tokens' audience), or --config <${firmId}'s firm file> to read it from the registry`);
  }
  return { audience: clusterAudience(clusterId), issuer: issuer ?? memberIssuer(clusterId, firmId), maxTtlSeconds: DEFAULT_MAX_TOKEN_LIFETIME_SECONDS };
}

async function targetFromDirectory(configFile: string, firmId: string, issuer: string | undefined): Promise<TokenTarget> {
  const config = loadConfigFile(configFile, firmConfigSchema);
  if (config.firmId !== firmId) throw new ConfigError('command line', '--config', `${configFile} is the file of firm ${config.firmId}, not of ${firmId}`);
  const reader = { kind: 'firm' as const, id: firmId, privateKeyPem: readPrivateKeyFile(configFile, 'serviceKeyFile', config.serviceKeyFile) };
  const client = new DirectoryClient({ registryUrl: config.registryUrl, refreshMs: 0, operatorPublicKeys: readOperatorPublicKeys(configFile, config.operatorPublicKeyFiles), reader });
  let directory: Directory;
  try {
    directory = await client.refresh();
  } catch (error) {
    throw new ConfigError(configFile, 'registryUrl', `cannot read the directory at ${config.registryUrl}: ${(error as Error).message}`);
  } finally {
    client.stop();
  }
  const member = directory.members.find((m) => m.id === firmId);
  if (!member) throw new ConfigError('command line', '--firm', `${firmId} is not a member of cluster ${directory.clusterId}`);
  const chosen = issuer ?? member.issuer;
  return {
    audience: directory.audience,
    issuer: chosen,
    maxTtlSeconds: member.maxTokenLifetimeSeconds ?? DEFAULT_MAX_TOKEN_LIFETIME_SECONDS,
    // Under the member's own issuer the key must be one of its listed keys (an identity provider's are in its JWKS).
    ...(chosen === member.issuer ? { trustedKeyIds: new Set(member.publicKeys.map((pem) => keyId(pem))) } : {}),
  };
}
