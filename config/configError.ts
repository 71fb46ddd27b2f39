/**
 * A bad configuration value: names the file (or `environment`) and the key, so that the
 * program stops at start with a message its operator can act on.
 */

/** One problem found in a configuration source. */
export interface ConfigProblem {
  /** Dotted path to the value, e.g. `database.url` or `firms[2].port`; `''` for the whole file. */
  key: string;
  message: string;
}

/** Where {@link ConfigError}s from environment variables say they come from. */
export const ENVIRONMENT = 'environment';

/** Where {@link ConfigError}s from command-line options say they come from. */
export const COMMAND_LINE = 'command line';

/**
 * A configuration error, code `CONFIG_INVALID`. Its message reads
 * `config file firm.yaml, key database.url: expected a postgres:// URL`, or
 * `environment variable PORT: expected an integer` for environment variables.
 *
 * @example
 * ```ts
 * throw new ConfigError('firm.yaml', 'database.url', 'expected a postgres:// URL');
 * ```
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly code = 'CONFIG_INVALID' as const;
  /** The file as given by the caller, or `environment`. */
  readonly file: string;
  /** Dotted path of the first bad value (the variable name for the environment); `''` when it is about the whole file. */
  readonly key: string;
  /** Every problem found (at least one); the message lists them all. */
  readonly problems: readonly ConfigProblem[];

  constructor(file: string, key: string, problem: string);
  constructor(file: string, problems: readonly ConfigProblem[]);
  constructor(file: string, keyOrProblems: string | readonly ConfigProblem[], problem?: string) {
    const problems: readonly ConfigProblem[] =
      typeof keyOrProblems === 'string' ? [{ key: keyOrProblems, message: problem ?? 'invalid value' }] : keyOrProblems;
    const first = problems[0] ?? { key: '', message: 'invalid configuration' };
    super(formatProblems(file, problems.length > 0 ? problems : [first]));
    this.file = file;
    this.key = first.key;
    this.problems = problems.length > 0 ? problems : [first];
  }
}

function formatProblems(file: string, problems: readonly ConfigProblem[]): string {
  const [first, ...rest] = problems;
  if (first === undefined) return describe(file, '');
  const head = `${describe(file, first.key)}: ${first.message}`;
  if (rest.length === 0) return head;
  return [head, ...rest.map((p) => `  and ${p.key === '' ? 'the file' : `key ${p.key}`}: ${p.message}`)].join('\n');
}

function describe(file: string, key: string): string {
  if (file === COMMAND_LINE) return key === '' ? 'command line' : `command line, option ${key}`;
  if (file === ENVIRONMENT) return key === '' ? 'environment' : `environment variable ${key}`;
  return key === '' ? `config file ${file}` : `config file ${file}, key ${key}`;
}
