/** Port helpers for local services: everything binds 127.0.0.1 only. */

import net from 'node:net';

export function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}

/** A port the OS says is free right now. */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * A free port that is none of `taken`: ports chosen with freePort are only free until someone binds them, so a
 * second choice made before the first is bound can come back with the same number.
 */
export async function freePortOtherThan(
  taken: readonly (number | undefined)[],
  choose: () => Promise<number> = () => freePort(),
): Promise<number> {
  for (;;) {
    const port = await choose();
    if (!taken.includes(port)) return port;
  }
}
