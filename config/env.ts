/**
 * Environment variables, validated: a bad value is a {@link ConfigError} whose file is
 * `environment` and whose key is the variable's name. An empty variable counts as unset.
 */
import { ConfigError, ENVIRONMENT } from './configError.js';

/** Where variables are read from. Default `process.env`. */
export type EnvSource = Readonly<Record<string, string | undefined>>;

/** Options of {@link envString}. */
export interface EnvStringOptions {
  /** Refuse an unset or empty variable. Default false. */
  required?: boolean;
  /** The value when unset. */
  default?: string;
  env?: EnvSource;
}

/**
 * A string environment variable.
 *
 * @example
 * ```ts
 * const url = envString('DATABASE_URL');                       // string | undefined
 * const registry = envString('REGISTRY_URL', { required: true }); // string, or ConfigError
 * const host = envString('HOST', { default: '127.0.0.1' });     // string
 * ```
 */
export function envString(name: string, options: EnvStringOptions & { required: true }): string;
export function envString(name: string, options: EnvStringOptions & { default: string }): string;
export function envString(name: string, options?: EnvStringOptions): string | undefined;
export function envString(name: string, options: EnvStringOptions = {}): string | undefined {
  const value = read(name, options.env);
  if (value !== undefined) return value;
  if (options.default !== undefined) return options.default;
  if (options.required === true) throw new ConfigError(ENVIRONMENT, name, 'required but not set');
  return undefined;
}

/** Options of {@link envInt}. */
export interface EnvIntOptions {
  min?: number;
  max?: number;
  env?: EnvSource;
}

/**
 * An integer environment variable (decimal), or `defaultValue` when unset.
 *
 * @example
 * ```ts
 * const port = envInt('PORT', 4000, { min: 0, max: 65535 });
 * ```
 */
export function envInt(name: string, defaultValue: number, options: EnvIntOptions = {}): number {
  const value = read(name, options.env);
  if (value === undefined) return defaultValue;
  if (!/^[+-]?\d+$/.test(value)) throw new ConfigError(ENVIRONMENT, name, 'expected an integer');
  const parsed = Number(value);
  if (!Number.isSafeInteger(parsed)) throw new ConfigError(ENVIRONMENT, name, 'integer out of range');
  if (options.min !== undefined && parsed < options.min) {
    throw new ConfigError(ENVIRONMENT, name, `expected an integer >= ${options.min}`);
  }
  if (options.max !== undefined && parsed > options.max) {
    throw new ConfigError(ENVIRONMENT, name, `expected an integer <= ${options.max}`);
  }
  return parsed;
}

function read(name: string, env: EnvSource = process.env): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}
