import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** An HTTP proxy on port 0 that forwards to `target` after `delayMs`: a slow firm. */
export async function startDelayProxy(target: string, delayMs: number): Promise<{ url: string; close(): Promise<void> }> {
  const base = new URL(target);
  const server: Server = createServer((req, res) => {
    setTimeout(() => {
      const upstream = request(
        { host: base.hostname, port: base.port, path: req.url, method: req.method, headers: req.headers },
        (up) => {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
        },
      );
      upstream.on('error', () => res.destroy());
      req.pipe(upstream);
    }, delayMs);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
