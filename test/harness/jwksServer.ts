import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import jwt from 'jsonwebtoken';

/** A signing key of a test identity provider. */
export interface ProviderKey {
  kid: string;
  alg: 'RS256' | 'ES256';
  privateKey: KeyObject;
  publicKey: KeyObject;
}

/** One request the JWKS endpoint answered: when, and with which status. */
export interface JwksHit {
  at: number;
  status: number;
}

/** An identity provider on 127.0.0.1, port 0: its JWKS at `/certs`, the keys the test sets. */
export interface TestIdentityProvider {
  /** Its issuer (`iss`): `http://127.0.0.1:<port>/realms/aero`. */
  issuer: string;
  jwksUri: string;
  /** The keys published now; replace to rotate. */
  published: ProviderKey[];
  /** While true, the endpoint answers 503. */
  down: boolean;
  hits: JwksHit[];
  /** Signs a token with `key` (its kid in the header), claims over `{ iss, iat, exp: +300 s }`. */
  sign(key: ProviderKey, claims: Record<string, unknown>): string;
  close(): Promise<void>;
}

/**
 * A new signing key (RSA 2048 or P-256).
 * @example const key = providerKey('rsa-1', 'RS256');
 */
export function providerKey(kid: string, alg: 'RS256' | 'ES256'): ProviderKey {
  const pair = alg === 'RS256' ? generateKeyPairSync('rsa', { modulusLength: 2048 }) : generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { kid, alg, privateKey: pair.privateKey, publicKey: pair.publicKey };
}

/**
 * Starts a local JWKS server serving `published` as a JSON Web Key Set (each key's public JWK,
 * `kid`, `alg`, `use: sig`), or 503 while `down`; every request recorded in `hits`.
 * @example const idp = await startTestIdentityProvider([providerKey('k1', 'RS256')]);
 */
export async function startTestIdentityProvider(initial: ProviderKey[]): Promise<TestIdentityProvider> {
  const state = { published: initial, down: false, hits: [] as JwksHit[] };
  const server: Server = createServer((req, res) => {
    const status = state.down ? 503 : req.url === '/realms/aero/certs' ? 200 : 404;
    state.hits.push({ at: Date.now(), status });
    if (status !== 200) {
      res.writeHead(status).end();
      return;
    }
    const keys = state.published.map((k) => ({ ...k.publicKey.export({ format: 'jwk' }), kid: k.kid, alg: k.alg, use: 'sig' }));
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const issuer = `${base}/realms/aero`;
  return {
    issuer,
    jwksUri: `${issuer}/certs`,
    get published() {
      return state.published;
    },
    set published(keys: ProviderKey[]) {
      state.published = keys;
    },
    get down() {
      return state.down;
    },
    set down(value: boolean) {
      state.down = value;
    },
    hits: state.hits,
    sign(key, claims) {
      const now = Math.floor(Date.now() / 1000);
      return jwt.sign({ iss: issuer, iat: now, exp: now + 300, ...claims }, key.privateKey, { algorithm: key.alg, keyid: key.kid });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
