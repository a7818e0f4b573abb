// kafkajs' request queue, as installed (scripts/patch-dependencies.mjs): an idle connection arms no
// timer. The stock 2.2.4 re-armed its pending-request check with a negative delay after every check,
// so each open connection woke the event loop every millisecond.
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);

interface Queue {
  throttleCheckTimeoutId: NodeJS.Timeout | null;
  pending: unknown[];
  maybeThrottle(ms: number): void;
  push(request: { entry: { correlationId: number }; expectResponse: boolean; sendRequest: () => void }): void;
  checkPendingRequests(): void;
  destroy(): void;
}
type QueueClass = new (o: Record<string, unknown>) => Queue;

function queue(): Queue {
  const RequestQueue = require('kafkajs/src/network/requestQueue/index.js') as QueueClass;
  const logger = { debug: () => undefined, warn: () => undefined };
  return new RequestQueue({
    maxInFlightRequests: 1,
    requestTimeout: 30_000,
    enforceRequestTimeout: false,
    clientId: 'c',
    broker: 'b:9092',
    logger,
    isConnected: () => true,
  });
}

const request = (correlationId: number, sent: number[]) => ({
  entry: { correlationId, apiKey: 0, apiName: 'Produce', apiVersion: 0 },
  expectResponse: true,
  sendRequest: () => sent.push(correlationId),
});

describe("kafkajs' request queue", () => {
  it('arms no timer when nothing waits', () => {
    const q = queue();
    q.checkPendingRequests();
    expect(q.throttleCheckTimeoutId).toBeNull();
    q.destroy();
  });

  it('still sends a request queued behind a client-side throttle once the throttle ends', async () => {
    const q = queue();
    const sent: number[] = [];
    q.maybeThrottle(30);
    q.push(request(1, sent));
    expect(sent).toEqual([]);
    expect(q.throttleCheckTimeoutId).not.toBeNull();
    await new Promise((r) => setTimeout(r, 80));
    expect(sent).toEqual([1]);
    q.destroy();
  });
});
