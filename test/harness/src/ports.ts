// Loopback ports chosen once and kept: a restarted worker comes back where the load balancer and
// the operations probes expect it, as a pod does behind its Service.
import { createServer } from 'node:net';

/** A port the OS considers free right now (bound to 0, read back, released). */
export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port > 0 ? done(port) : fail(new Error('no port was assigned'))));
    });
  });
}
