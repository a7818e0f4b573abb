// The ingress' transport bounds with faked collaborators: the per-client rate limit, the connection
// caps, the header timeout against a slow client, bodies cut off at 64 KiB, and plain HTTP kept to
// loopback.
import { connect, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { PaystreamError, snapTimestamp } from '@paystream/core';
import { afterEach, describe, expect, it } from 'vitest';
import { capConnections } from '../src/ingress/connection-caps.ts';
import { clientKey, MAX_BODY_BYTES } from '../src/ingress/limits.ts';
import { ClientRateLimiter } from '../src/ingress/rate-limiter.ts';
import { fakeIngress, notification, post, SNAP, type FakeIngress } from './ingress-fakes.ts';

const open: FakeIngress[] = [];
const sockets: Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await Promise.all(open.splice(0).map((f) => f.ingress.close()));
});
async function started(extra: Parameters<typeof fakeIngress>[0] = {}): Promise<FakeIngress> {
  const f = await fakeIngress(extra);
  open.push(f);
  return f;
}
const portOf = (f: FakeIngress): number => Number(new URL(f.ingress.url).port);

/** A raw connection from `localAddress`; resolves once connected, `closed` settles when the server drops it. */
function rawConnection(port: number, localAddress = '127.0.0.1'): Promise<{ socket: Socket; closed: Promise<void> }> {
  return new Promise((done, fail) => {
    const socket = connect({ host: '127.0.0.1', port, localAddress }, () => done({ socket, closed }));
    const closed = new Promise<void>((r) => socket.once('close', () => r()));
    socket.on('error', () => undefined);
    socket.once('error', fail);
    sockets.push(socket);
  });
}

describe('ingress rate limit', () => {
  it('answers 429 once a client has spent its burst, and recovers with time', async () => {
    const f = await started({ limits: { rateLimit: { perSecond: 0.25, burst: 5 } } });
    const statuses = [];
    for (let i = 0; i < 8; i++) statuses.push(await post(f.ingress.url, notification('{}', { signature: 'forged' })));
    expect(statuses.slice(0, 5)).toEqual(Array(5).fill(401));
    expect(statuses.slice(5)).toEqual([429, 429, 429]);
    // One token back every 4 s: slow enough that none comes back while the eight are sent, however loaded the machine.
    await sleep(4_100);
    expect(await post(f.ingress.url, notification('{}', { signature: 'forged' }))).toBe(401);
    expect(f.events.filter((e) => e.outcome === 'rate-limited')).toHaveLength(3);
  });

  it('keeps at most maxClients buckets, however many addresses ask', () => {
    const limiter = new ClientRateLimiter({ perSecond: 1, burst: 1, maxClients: 100 });
    for (let i = 0; i < 10_000; i++) limiter.take(`10.0.${String(i >> 8)}.${String(i & 255)}`);
    expect(limiter.size).toBe(100);
    expect(limiter.take('10.0.39.15')).toBe(false);
  });

  it('counts IPv4 as is and IPv6 by its /64', () => {
    expect(clientKey('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(clientKey('2001:db8:1:2:aaaa::1')).toBe(clientKey('2001:0db8:0001:0002:ffff:1:2:3'));
    expect(clientKey('2001:db8:1:3::1')).not.toBe(clientKey('2001:db8:1:2::1'));
    expect(clientKey(undefined)).toBe('unknown');
  });
});

describe('ingress connection caps and timeouts', () => {
  it('drops a client beyond its own connection cap while another address still connects', async () => {
    const f = await started({ limits: { maxConnectionsPerClient: 3, maxConnections: 10 } });
    const held = await Promise.all([1, 2, 3].map(() => rawConnection(portOf(f), '127.0.0.2')));
    const fourth = await rawConnection(portOf(f), '127.0.0.2');
    await fourth.closed;
    expect(held.every((c) => !c.socket.destroyed)).toBe(true);
    expect(await post(f.ingress.url, notification('{}', { signature: 'forged' }))).toBe(401);
  });

  it('applies the total cap across addresses', async () => {
    const { createServer } = await import('node:net');
    const server = createServer();
    capConnections(server, { maxConnections: 2, maxConnectionsPerClient: 2 });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    await rawConnection(port, '127.0.0.2');
    await rawConnection(port, '127.0.0.3');
    const third = await rawConnection(port, '127.0.0.4');
    await third.closed;
    server.close();
  });

  it('closes a connection whose headers trickle in slower than the header timeout', async () => {
    const f = await started({ limits: { headersTimeoutMs: 400, requestTimeoutMs: 1_000 } });
    const { socket, closed } = await rawConnection(portOf(f));
    socket.write(`POST ${SNAP} HTTP/1.1\r\nHost: x\r\n`);
    const drip = setInterval(() => socket.write('X-A: b\r\n'), 100);
    const since = Date.now();
    await closed;
    clearInterval(drip);
    expect(Date.now() - since).toBeLessThan(5_000);
  });
});

describe('ingress body bound', () => {
  it('refuses a declared Content-Length above 64 KiB without reading the body', async () => {
    const f = await started();
    const { socket, closed } = await rawConnection(portOf(f));
    let answer = '';
    socket.on('data', (c: Buffer) => (answer += c.toString()));
    socket.write(`POST ${SNAP} HTTP/1.1\r\nHost: x\r\nContent-Length: ${String(10 * 1024 * 1024)}\r\n\r\n`);
    await closed;
    expect(answer).toMatch(/^HTTP\/1\.1 413/);
    const event = f.events.find((e) => e.outcome === 'too-large');
    expect(event?.bytesRead).toBeLessThan(1_024);
  });

  it('cuts off a chunked body at the chunk that crosses 64 KiB', async () => {
    const f = await started();
    const { socket, closed } = await rawConnection(portOf(f));
    socket.on('data', () => undefined);
    socket.write(`POST ${SNAP} HTTP/1.1\r\nHost: x\r\nX-Timestamp: ${snapTimestamp()}\r\nTransfer-Encoding: chunked\r\n\r\n`);
    const chunk = Buffer.alloc(4_096, 'a');
    let sent = 0;
    const state = { ended: false };
    void closed.then(() => (state.ended = true));
    while (!state.ended && sent < 10 * 1024 * 1024) {
      socket.write(`${chunk.length.toString(16)}\r\n${chunk.toString()}\r\n`);
      sent += chunk.length;
      await sleep(1);
    }
    await closed;
    expect(sent).toBeLessThan(1024 * 1024);
    await expect.poll(() => f.events.find((e) => e.outcome === 'too-large')?.bytesRead).toBeLessThan(MAX_BODY_BYTES + 16 * 1024);
  });
});

describe('ingress exposure', () => {
  it('refuses plain HTTP on a non-loopback address before listening, unless allowed', async () => {
    for (const host of ['0.0.0.0', '::', '192.0.2.1', 'ingress.example']) {
      const refusal = await fakeIngress({ host }).then(
        () => undefined,
        (err: unknown) => err,
      );
      expect(PaystreamError.is(refusal) && refusal.code).toBe('PS_ERR_INGRESS_PLAIN_HTTP');
    }
    const allowed = await started({ host: '0.0.0.0', allowPlainHttp: true });
    expect(allowed.ingress.url).toMatch(/^http:\/\/0\.0\.0\.0:/);
    for (const host of ['127.0.0.1', '::1', 'localhost', '127.0.0.5']) expect((await started({ host })).ingress.url).toMatch(/^http:/);
  });
});
