import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../config/configError.js';
import { envInt, envString } from '../../../config/env.js';

const env = { PORT: '4100', BAD_PORT: '41x', EMPTY: '', NAME: ' acme ', HUGE: '99999999999999999999' };

function failure(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('envString', () => {
  it('reads, trims, treats empty as unset, applies defaults', () => {
    expect(envString('NAME', { env })).toBe('acme');
    expect(envString('MISSING', { env })).toBeUndefined();
    expect(envString('EMPTY', { env })).toBeUndefined();
    expect(envString('MISSING', { env, default: 'x' })).toBe('x');
  });

  it('required and unset → ConfigError with file `environment` and the variable as key', () => {
    const error = failure(() => envString('REGISTRY_URL', { required: true, env }));
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.file).toBe('environment');
    expect(error.key).toBe('REGISTRY_URL');
    expect(error.message).toBe('environment variable REGISTRY_URL: required but not set');
  });

  it('reads process.env by default', () => {
    process.env.DATASPACE_TEST_VAR = 'yes';
    try {
      expect(envString('DATASPACE_TEST_VAR', { required: true })).toBe('yes');
    } finally {
      delete process.env.DATASPACE_TEST_VAR;
    }
  });
});

describe('envInt', () => {
  it('parses integers, falls back to the default when unset', () => {
    expect(envInt('PORT', 4000, { env })).toBe(4100);
    expect(envInt('MISSING', 4000, { env })).toBe(4000);
    expect(envInt('EMPTY', 4000, { env })).toBe(4000);
  });

  it('refuses non-integers, unsafe integers and out-of-range values, naming the variable', () => {
    expect(failure(() => envInt('BAD_PORT', 4000, { env })).message).toBe('environment variable BAD_PORT: expected an integer');
    expect(failure(() => envInt('HUGE', 4000, { env })).key).toBe('HUGE');
    expect(failure(() => envInt('PORT', 0, { env, max: 1024 })).message).toMatch(/<= 1024/);
    expect(failure(() => envInt('PORT', 0, { env, min: 5000 })).message).toMatch(/>= 5000/);
  });
});
