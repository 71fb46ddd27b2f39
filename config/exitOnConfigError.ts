/**
 * The entry wrapper of every command-line program: configuration and policy errors end the
 * program with a one-line message and exit code 2; anything else with exit code 1.
 */

/** What {@link runMain} writes to and how it exits (tests replace them). */
export interface MainIo {
  stderr: (text: string) => void;
  exit: (code: number) => void;
}

const processIo: MainIo = {
  stderr: (text) => process.stderr.write(text),
  exit: (code) => process.exit(code),
};

/**
 * Whether an error is a configuration-like error: a `code` string ending in `_INVALID`
 * (`CONFIG_INVALID`, `POLICY_INVALID`...) and a message.
 *
 * @example
 * ```ts
 * isInvalidConfiguration(new ConfigError('firm.yaml', 'port', 'expected a number')); // true
 * ```
 */
export function isInvalidConfiguration(error: unknown): error is Error & { code: string } {
  if (typeof error !== 'object' || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  return typeof code === 'string' && code.endsWith('_INVALID') && typeof message === 'string';
}

/**
 * The line printed for an error that ended a program, and the exit code.
 *
 * @example
 * ```ts
 * describeFailure(new ConfigError('firm.yaml', 'port', 'expected a number'));
 * // { text: 'error [CONFIG_INVALID]: config file firm.yaml, key port: expected a number\n', exitCode: 2 }
 * ```
 */
export function describeFailure(error: unknown): { text: string; exitCode: 1 | 2 } {
  if (isInvalidConfiguration(error)) return { text: `error [${error.code}]: ${error.message}\n`, exitCode: 2 };
  const message = error instanceof Error ? error.message : String(error);
  const stack = process.env.DATASPACE_DEBUG && error instanceof Error && error.stack ? `\n${error.stack}` : '';
  return { text: `error: ${message}${stack}\n`, exitCode: 1 };
}

/**
 * Runs a program's `main`; on failure prints `error [CODE]: message` (exit 2) for a
 * configuration-like error, else `error: message` (exit 1). Set `DATASPACE_DEBUG=1` to
 * also print the stack of unexpected errors.
 *
 * @example
 * ```ts
 * await runMain(async () => {
 *   const config = loadConfigFile(process.argv[2] ?? 'firm.yaml', firmConfigSchema);
 *   await startFirm(config);
 * });
 * ```
 */
export async function runMain(main: () => Promise<void>, io: MainIo = processIo): Promise<void> {
  try {
    await main();
  } catch (error) {
    const { text, exitCode } = describeFailure(error);
    io.stderr(text);
    io.exit(exitCode);
  }
}
