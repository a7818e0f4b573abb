// A Kafka broker of a scenario's own, for faults of the broker itself: the shared test broker serves
// other suites at the same time and must never be stopped. Same jars and settings as every broker of
// the checkout (infra/kafka), its own home and a free pair of ports (listener, controller).
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { start, stop } from '@paystream/kafka-broker';

export interface OwnBroker {
  readonly brokers: string[];
  readonly home: string;
  /** SIGTERM (controlled shutdown), the data kept. */
  stop(): Promise<void>;
  /** Starts again on the same port and data; resolves once it serves metadata. */
  start(): Promise<void>;
  /** Stops it and removes its home. */
  close(): Promise<void>;
}

function listens(port: number): Promise<boolean> {
  return new Promise((done) => {
    const s = createServer()
      .once('error', () => done(false))
      .listen(port, '127.0.0.1', () => s.close(() => done(true)));
  });
}

/** A port whose successor is free too: the broker's controller listens on port + 1. */
async function freePortPair(): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((done) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => done(p));
      });
    });
    if (port < 65534 && (await listens(port + 1))) return port;
  }
}

export async function ownBroker(name: string): Promise<OwnBroker> {
  const home = mkdtempSync(join(tmpdir(), `paystream-${name}-kafka-`));
  const opts = { home, port: await freePortPair(), readyTimeoutMs: 120_000 };
  await start(opts);
  return {
    brokers: [`127.0.0.1:${String(opts.port)}`],
    home,
    stop: async () => {
      await stop(opts);
    },
    start: async () => {
      await start(opts);
    },
    close: async () => {
      await stop(opts);
      rmSync(home, { recursive: true, force: true });
    },
  };
}
