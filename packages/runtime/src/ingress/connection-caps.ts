// Caps on the connections the ingress holds: in total (the server refuses beyond it) and per client
// address, so one client holding many slow connections cannot take every slot from the others.
import type { Server } from 'node:net';
import { clientKey, type IngressLimits } from './limits.ts';

/** Applies both caps to the server; returns the open connections per client (bounded by the total cap). */
export function capConnections(
  server: Server,
  limits: Pick<IngressLimits, 'maxConnections' | 'maxConnectionsPerClient'>,
): ReadonlyMap<string, number> {
  server.maxConnections = limits.maxConnections;
  const open = new Map<string, number>();
  server.on('connection', (socket: import('node:net').Socket) => {
    const client = clientKey(socket.remoteAddress);
    const held = open.get(client) ?? 0;
    if (held >= limits.maxConnectionsPerClient) {
      socket.destroy();
      return;
    }
    open.set(client, held + 1);
    socket.once('close', () => {
      const left = (open.get(client) ?? 1) - 1;
      if (left > 0) open.set(client, left);
      else open.delete(client);
    });
  });
  return open;
}
