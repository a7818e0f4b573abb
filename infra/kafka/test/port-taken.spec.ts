// A test broker whose port another process holds says which variable moves it: the one that chose it.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { start } from '../src/broker.ts';
import { secureTestBrokerOptions } from '../src/secure-testing.ts';
import { testBrokerOptions } from '../src/testing.ts';

const home = mkdtempSync(join(tmpdir(), 'paystream-port-taken-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));

async function heldPort(): Promise<{ port: number; release: () => void }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as AddressInfo).port, release: () => server.close() };
}

describe('a test broker on a port already taken', () => {
  it.each([
    ['PAYSTREAM_TEST_KAFKA_PORT', testBrokerOptions, 'PAYSTREAM_TEST_KAFKA_HOME'],
    ['PAYSTREAM_SECURE_KAFKA_PORT', secureTestBrokerOptions, 'PAYSTREAM_SECURE_KAFKA_HOME'],
  ] as const)('names %s, the variable that chose the port', async (variable, options, homeVariable) => {
    const held = await heldPort();
    try {
      const opts = options({ [variable]: String(held.port), [homeVariable]: join(home, variable) });
      await expect(start(opts)).rejects.toThrow(
        new RegExp(`^Port ${String(held.port)} on 127\\.0\\.0\\.1 is taken by another process; .* with ${variable} \\(`),
      );
    } finally {
      held.release();
    }
  });
});
