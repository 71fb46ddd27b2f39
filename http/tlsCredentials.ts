/**
 * A server's TLS certificate and key. Every server of the data space (registry, gateway, each
 * firm's subgraph, the owner router) can listen with TLS; the files are named in its
 * configuration (`tls: { certFile, keyFile }`) and checked at start.
 */
import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';

/** A certificate (the server's first, then any intermediates) and its private key, as PEM text. */
export interface TlsCredentials {
  cert: string;
  key: string;
}

/** What is wrong with a pair of TLS files: which of the two, and why. */
export interface TlsProblem {
  part: 'cert' | 'key';
  message: string;
}

/**
 * The first problem of a certificate and key, or undefined when they can serve: the
 * certificate must parse and be unexpired, the key must parse and be the certificate's.
 * @example const problem = tlsCredentialsProblem({ cert, key }); // { part: 'key', message: 'is not the private key of the certificate' }
 */
export function tlsCredentialsProblem(tls: TlsCredentials, now: Date = new Date()): TlsProblem | undefined {
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(tls.cert);
  } catch {
    return { part: 'cert', message: 'is not a PEM certificate' };
  }
  if (new Date(certificate.validTo).getTime() < now.getTime()) {
    return { part: 'cert', message: `the certificate expired on ${new Date(certificate.validTo).toISOString()}` };
  }
  let key: KeyObject;
  try {
    key = createPrivateKey(tls.key);
  } catch {
    return { part: 'key', message: 'is not a PEM private key' };
  }
  if (!certificate.checkPrivateKey(key)) return { part: 'key', message: 'is not the private key of the certificate' };
  return undefined;
}
