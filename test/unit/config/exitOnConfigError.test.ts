import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../config/configError.js';
import { runMain } from '../../../config/exitOnConfigError.js';

async function run(main: () => Promise<void>): Promise<{ stderr: string; exitCode: number | undefined }> {
  let stderr = '';
  let exitCode: number | undefined;
  await runMain(main, { stderr: (text) => (stderr += text), exit: (code) => (exitCode = code) });
  return { stderr, exitCode };
}

describe('runMain', () => {
  it('does nothing when main succeeds', async () => {
    expect(await run(async () => {})).toEqual({ stderr: '', exitCode: undefined });
  });

  it('a ConfigError → `error [CONFIG_INVALID]: message`, exit 2', async () => {
    const result = await run(async () => {
      throw new ConfigError('firm.yaml', 'database.url', 'expected a postgres:// URL');
    });
    expect(result).toEqual({
      stderr: 'error [CONFIG_INVALID]: config file firm.yaml, key database.url: expected a postgres:// URL\n',
      exitCode: 2,
    });
  });

  it('any error whose code ends in _INVALID (e.g. a PolicyError) → exit 2', async () => {
    class PolicyError extends Error {
      readonly code = 'POLICY_INVALID';
    }
    const result = await run(async () => {
      throw new PolicyError('policy acme.yaml, rule 3: unknown type Widget');
    });
    expect(result).toEqual({ stderr: 'error [POLICY_INVALID]: policy acme.yaml, rule 3: unknown type Widget\n', exitCode: 2 });
  });

  it('other errors → `error: message`, exit 1, no stack', async () => {
    const result = await run(async () => {
      throw new Error('port 4000 in use');
    });
    expect(result).toEqual({ stderr: 'error: port 4000 in use\n', exitCode: 1 });
    expect((await run(() => Promise.reject(new Error('x', { cause: 1 })))).exitCode).toBe(1);
  });
});
