// Every error path of the client driven at trace level: the captured log output, error messages and
// their JSON hold no private key, client secret, server key, access token or card number.
import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../src/log/logger.ts';
import { MidtransClient } from '../src/midtrans/client.ts';
import { parseCoreConfig } from '../src/config/schema.ts';
import { clientFixture, configInput, useFakeMidtrans, type ClientFixture } from './client-fixture.ts';
import type { Reply } from './fake-midtrans.ts';

const CARD = '4811111111111114';
const tuning = {
  http: { maxAttempts: 2, backoffBaseMs: 1, backoffMaxMs: 2, totalTimeoutMs: 300 },
  breaker: { volumeThreshold: 50 },
};
const fake = useFakeMidtrans();
let fx: ClientFixture;
const lines: string[] = [];

beforeAll(async () => {
  fx = await clientFixture(fake, tuning);
});
afterAll(async () => {
  await fx.close();
});

describe('no secret leaks', () => {
  it('drives every answer class and transport failure at trace level and finds no secret in the output', async () => {
    const sink = new Writable({
      write(chunk: Buffer, _e, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const logger = createLogger({ name: 'leak-test', level: 'trace' }, sink);
    const config = parseCoreConfig(configInput(fx, tuning, { clientId: 'client-1', serverKeyFile: fx.files.serverKey }));
    const client = new MidtransClient({ config, keyRing: fx.ring, tls: { caPem: [fake.pki.caPem] }, logger });
    const replies: Reply[] = [
      { status: 200, body: { responseCode: '2005400', echo: CARD } },
      { status: 400, body: { responseCode: '4005402', responseMessage: `bad ${CARD}` } },
      { status: 401, body: { responseCode: '4015400', responseMessage: 'Unauthorized. Signature' } },
      { status: 401, body: { responseCode: '4015401', responseMessage: 'Invalid token' } },
      { status: 403, body: { responseCode: '4035414', responseMessage: 'Insufficient Funds' } },
      { status: 409, body: { responseCode: '4095400', responseMessage: 'Conflict' } },
      { status: 500, body: { responseCode: '5005401' } },
      { status: 504, body: { responseCode: '5045400' } },
      'reset',
      'hang',
    ];
    const errors: unknown[] = [];
    for (const reply of replies) {
      fake.respond = () => reply;
      for (const call of [
        () => client.snap({ path: '/v1.0/debit/payment-host-to-host', externalId: 'x', body: { note: CARD } }),
        () => client.coreApi({ method: 'POST', path: '/v2/charge', body: { card: CARD }, idempotencyKey: 'k' }),
      ]) {
        await call().catch((err: unknown) => errors.push(err));
      }
    }
    await client.close();
    logger.flush();
    await new Promise((r) => setTimeout(r, 50));
    expect(errors.length).toBeGreaterThan(5);
    const accessToken = `token-${String(fake.tokenCount())}`;
    const privateKeyBody = readFileSync(fx.files.privateKey, 'utf8').split('\n')[1]!;
    const output = lines.join('') + errors.map((e) => `${String(e)} ${JSON.stringify(e)} ${(e as Error).stack ?? ''}`).join('\n');
    expect(lines.length).toBeGreaterThan(20);
    for (const secret of [fx.clientSecret, fx.serverKey, accessToken, privateKeyBody, CARD]) expect(output).not.toContain(secret);
    expect(output).toContain('481111******1114');
  });
});
