import { gatewayConfigSchema } from '../gateway/gatewayConfig.js';

/**
 * The stand-alone owner router's configuration (`dataspace router --config router.yaml`),
 * for another federation gateway in front of the cluster (README, "Another federation
 * gateway in front"):
 *
 * ```yaml
 * gatewayId: peer                      # its public key must be in the registry's gateways
 * listen: { host: 127.0.0.1, port: 4010 }
 * registryUrl: http://127.0.0.1:4001
 * privateKeyFile: ./keys/peer.key.pem
 * operatorPublicKeyFiles: [./keys/operator.pub.pem]   # the directory must be signed by it
 * firmTimeoutMs: 5000                  # per firm and fetch
 * requestTimeoutMs: 15000              # per subgraph request from the gateway in front
 * circuitBreaker: { enabled: true, failureThreshold: 5, windowMs: 60000, cooldownMs: 30000 }
 * directoryRefreshSeconds: 10
 * localLinks: true                     # answer /links here (false: ask each owner's /links)
 * tls: { certFile: ./tls/router.crt, keyFile: ./tls/router.key }   # optional: https://
 * metrics: { tokenFile: ./metrics.token }   # optional: GET /metrics with this bearer token
 * ```
 *
 * The gateway's keys of the same names, with the same defaults and bounds.
 */
export const ownerRouterConfigSchema = gatewayConfigSchema.pick({
  gatewayId: true,
  listen: true,
  registryUrl: true,
  privateKeyFile: true,
  operatorPublicKeyFiles: true,
  firmTimeoutMs: true,
  requestTimeoutMs: true,
  circuitBreaker: true,
  directoryRefreshSeconds: true,
  localLinks: true,
  tls: true,
  metrics: true,
});
