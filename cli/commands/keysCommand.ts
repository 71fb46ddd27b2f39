import { relative, resolve } from 'node:path';
import { stringify } from 'yaml';
import { ConfigError } from '../../config/configError.js';
import { generateMemberKeys, type MemberKeyFiles } from '../../identity/memberKeys.js';
import { parseCommandLine } from '../parseCommandLine.js';

/**
 * `dataspace keys generate --firm <id> [--out <dir>] [--cluster <id>]`: writes a new member's
 * user-token and service key pairs (private keys mode 0600, never over an existing file) and
 * prints its entry for the registry's file (YAML, valid as it stands once the endpoints are
 * filled in) and the lines of the firm's own file.
 */
export async function keysCommand(argv: string[]): Promise<void> {
  const [action, ...rest] = argv;
  if (action !== 'generate') throw new ConfigError('command line', 'keys', 'usage: dataspace keys generate --firm <id> [--out <dir>] [--cluster <id>]');
  const { values } = parseCommandLine(rest, { firm: { type: 'string' }, out: { type: 'string' }, cluster: { type: 'string' } });
  if (!values.firm) throw new ConfigError('command line', '--firm', 'required: the id of the member whose keys these are');
  let files: MemberKeyFiles;
  try {
    files = generateMemberKeys(values.out ?? 'keys', values.firm);
  } catch (error) {
    throw new ConfigError('command line', values.out ? '--out' : '--firm', (error as Error).message);
  }
  process.stdout.write(memberKeysReport(files, values.cluster));
}

/**
 * What `keys generate` prints: the files, the member's registry entry (YAML) and the firm file's lines.
 * @example process.stdout.write(memberKeysReport(generateMemberKeys('keys', 'structura'), 'aero'));
 */
export function memberKeysReport(files: MemberKeyFiles, clusterId?: string): string {
  const shown = (path: string): string => relative(process.cwd(), resolve(path)) || path;
  const id = files.firmId;
  const entry = stringify({
    members: [
      {
        id,
        name: id,
        role: 'partner',
        tier: 1,
        sector: '',
        endpoints: { firm: `https://${id}.example/firm`, links: `https://${id}.example/links` },
        publicKeyFiles: [shown(files.userToken.publicKeyFile)],
        serviceKeyFiles: [shown(files.service.publicKeyFile)],
      },
    ],
  });
  const cluster = clusterId ?? '<clusterId>';
  return [
    `# Keys of member ${id} (private keys mode 0600: keep them secret, never send them to anyone):`,
    `#   ${shown(files.userToken.privateKeyFile)}  user-token key (kid ${files.userToken.keyId}): signs ${id}'s users' tokens,`,
    `#     npx dataspace token --firm ${id} --key ${shown(files.userToken.privateKeyFile)} --cluster ${cluster}`,
    `#   ${shown(files.service.privateKeyFile)}  service key (kid ${files.service.keyId}): for ${id}'s firm process only`,
    '#',
    "# The member's entry for the registry's file (the operator's cluster.yaml, under members:). Send the operator",
    '# the two .pub.pem files; paths are relative to the registry file. Fill in name, role, tier, sector and endpoints.',
    entry.trimEnd(),
    '#',
    `# In ${id}'s own file (npx dataspace firm --config <file>):`,
    `#   firmId: ${id}`,
    `#   serviceKeyFile: ${shown(files.service.privateKeyFile)}`,
    '',
  ].join('\n');
}
