import { runMain } from '../config/exitOnConfigError.js';
import { ConfigError } from '../config/configError.js';
import { checkExtraCaCerts } from '../config/readServerSecurity.js';
import { demoCommand } from './commands/demoCommand.js';
import { exportCommand } from './commands/exportCommand.js';
import { firmCommand } from './commands/firmCommand.js';
import { gatewayCommand } from './commands/gatewayCommand.js';
import { importCommand } from './commands/importCommand.js';
import { initCommand } from './commands/initCommand.js';
import { keysCommand } from './commands/keysCommand.js';
import { routerCommand } from './commands/routerCommand.js';
import { logCommand } from './commands/logCommand.js';
import { policyCommand } from './commands/policyCommand.js';
import { registryCommand } from './commands/registryCommand.js';
import { tokenCommand } from './commands/tokenCommand.js';

const USAGE = `usage: dataspace <command> [options]

  demo [--port N] [--json]            start the demo cluster (registry, gateway, 7 firms) on embedded databases
  token --firm <id> [--role <r>]...   print a signed JWT for a user of a demo firm
        [--purpose <p>] [--subject <u>] [--ttl <seconds>]
        [--key <file> (--cluster <id> | --config <firm.yaml>) [--issuer <iss>]]   of any member, with its user-token key
  keys generate --firm <id> [--out <dir>] [--cluster <id>]   a new member's user-token and service key pairs (never
                                      over an existing file); prints its registry entry and its firm file's lines
  firm --config <file>                run one firm's subgraph (its database, its policy, the registry URL)
  init firm --id <id> --tier <n> --supplies <customer>   a new firm joins the running demo: its keys, a starter
        [--name <text>] [--sector <text>] [--port <n>] [--database-url <url>]   policy, its config; added to the registry file
  registry --config <file>            run the cluster registry
  gateway --config <file>             run the gateway
  router --config <file>              run the stand-alone owner router (another federation gateway in front)
  policy check <file> [--terms <file>] validate a policy file (purposes against the cluster terms)
  policy explain --firm <owner> --as <caller> [--role r]... [--purpose p] <Type>   which rule permits or denies each field
  log verify --firm <id> [--log write] check the hash chain of a firm's access log, or its write log (exit 1 if broken)
  log verify --export <file> [--log write]  the same for the logs an export keeps as an archive, offline
  export --firm <id> <file>           write all of a firm's data, policy, agreements and access log to a JSON file
  import <folder or file>...          load a firm's own data from CSV files or an export (JSON), all or nothing, upsert by key
        [--dry-run] [--subject <who>]   (docs/import-format.md); while the firm runs on its embedded database, through it:
        [--token-file <f>] [--firm-url <u>]  a token of its users with the role integration
                                      (all three: [--config <firm.yaml>]; the demo's data folder or DATABASE_URL otherwise)

Environment: DATASPACE_DATA_DIR (demo data and keys, default ./.dataspace), DATABASE_URL (firm: PostgreSQL instead of PGlite),
NODE_EXTRA_CA_CERTS (the cluster's CA certificate(s): outbound https:// calls trust them; checked at start).`;

const COMMANDS: Record<string, (argv: string[]) => Promise<void>> = {
  demo: demoCommand,
  token: tokenCommand,
  keys: keysCommand,
  firm: firmCommand,
  init: (argv) => initCommand(argv),
  registry: registryCommand,
  gateway: gatewayCommand,
  router: routerCommand,
  policy: (argv) => policyCommand(argv),
  log: logCommand,
  export: exportCommand,
  import: importCommand,
};

await runMain(async () => {
  const [name, ...rest] = process.argv.slice(2);
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const command = COMMANDS[name];
  if (!command) throw new ConfigError('command line', 'command', `unknown command "${name}"\n${USAGE}`);
  // Node ignores an unreadable file with a warning; every https:// peer would then be refused later.
  checkExtraCaCerts();
  await command(rest);
});
