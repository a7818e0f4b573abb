// The notification verifier over raw bytes: it never throws, whatever arrives; it accepts exactly the
// notifications signed by a trusted Midtrans key over these bytes, path and timestamp; any change
// that alters the signed content — a body byte, the path, the timestamp, the signature — is refused.
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createCore, createLogger, minifyJsonBytes, parseCoreConfig, type CoreServices } from '@paystream/core';
import { startSimulator, writeDescriptor, type Simulator } from '@paystream/midtrans-sim';
import { coreConfigFromSimulator } from '@paystream/worker';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostileValue, pollutingJson, prototypeShape } from './arbitraries.ts';
import { signCore, signSnap } from './notary.ts';

const dir = mkdtempSync(join(tmpdir(), 'paystream-verifier-'));
const notary = generateKeyPairSync('rsa', { modulusLength: 2048 });
const shape = prototypeShape();
let sim: Simulator;
let core: CoreServices;
let serverKey: string;

beforeAll(async () => {
  sim = await startSimulator();
  writeDescriptor(sim, join(dir, 'sim.json'));
  writeFileSync(join(dir, 'notary.pem'), notary.publicKey.export({ type: 'spki', format: 'pem' }));
  const input = coreConfigFromSimulator(join(dir, 'sim.json'), dir);
  const config = parseCoreConfig({ ...input, midtransPublicKeyFiles: [...input.midtransPublicKeyFiles, join(dir, 'notary.pem')] });
  core = await createCore(config, {
    logger: createLogger({ name: 'verifier', level: 'silent' }, new Writable({ write: (_c, _e, d) => d() })),
    watchKeys: false,
  });
  serverKey = readFileSync(config.merchants['default']?.serverKeyFile ?? '', 'utf8').trim();
});
afterAll(async () => {
  await core.close();
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
});

const PATH = '/v1.0/debit/notify';
/** Notification bodies as raw bytes: JSON of hostile values, prototype-pollution JSON, deep nesting, binary. */
const rawBody = fc.oneof(
  hostileValue.map((v) => {
    try {
      return Buffer.from((JSON.stringify(v) as string | undefined) ?? 'null');
    } catch {
      return Buffer.from('"unserialisable"');
    }
  }),
  pollutingJson.map((v) => Buffer.from(JSON.stringify(v))),
  fc.uint8Array({ maxLength: 4_096 }).map((b) => Buffer.from(b)),
);

describe('notification verifier', () => {
  it('never throws and never accepts what no trusted key signed', () => {
    fc.assert(
      fc.property(
        fc.record({
          method: fc.oneof(fc.constant('POST'), fc.string()),
          path: fc.oneof(fc.constant(PATH), fc.string()),
          timestamp: fc.option(
            fc.oneof(
              fc.string(),
              fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
            ),
          ),
          signature: fc.option(fc.oneof(fc.string(), fc.base64String({ maxLength: 700 }))),
        }),
        rawBody,
        (n, body) => {
          const verdict = core.verifier.verifySnap({
            ...n,
            timestamp: n.timestamp ?? undefined,
            signature: n.signature ?? undefined,
            rawBody: body,
          });
          expect(verdict.valid).toBe(false);
          expect(prototypeShape()).toBe(shape);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('accepts exactly what the trusted key signed, and refuses every change to the signed content', () => {
    const tamper = fc.oneof(
      fc.record({ kind: fc.constant('byte' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
      fc.record({
        kind: fc.constant('path' as const),
        value: fc.constantFrom('/v1.0/qr/qr-mpm-notify', '/v1.0/debit/notify/', '/V1.0/debit/notify', '/v1.0/transfer-va/payment'),
      }),
      fc.record({ kind: fc.constant('timestamp' as const), by: fc.integer({ min: 1, max: 86_400 }) }),
      fc.record({ kind: fc.constant('signature' as const), at: fc.nat() }),
    );
    fc.assert(
      fc.property(rawBody, tamper, (body, t) => {
        const n = signSnap(notary.privateKey, PATH, body);
        const genuine = {
          method: 'POST',
          path: PATH,
          timestamp: n.headers['x-timestamp'],
          signature: n.headers['x-signature'],
          rawBody: body,
        };
        expect(core.verifier.verifySnap(genuine).valid).toBe(true);
        let forged: typeof genuine;
        if (t.kind === 'byte') {
          if (body.length === 0) return;
          const bytes = Buffer.from(body);
          bytes[t.at % bytes.length] = t.value;
          if (Buffer.from(minifyJsonBytes(bytes)).equals(Buffer.from(minifyJsonBytes(body)))) return;
          forged = { ...genuine, rawBody: bytes };
        } else if (t.kind === 'path') forged = { ...genuine, path: t.value };
        else if (t.kind === 'timestamp')
          forged = {
            ...genuine,
            timestamp: signSnap(notary.privateKey, PATH, body, new Date(Date.now() - t.by * 1000)).headers['x-timestamp'],
          };
        else {
          const sig = Buffer.from(genuine.signature ?? '', 'base64');
          const at = t.at % sig.length;
          sig[at] = (sig[at] ?? 0) ^ 1;
          forged = { ...genuine, signature: sig.toString('base64') };
        }
        expect(core.verifier.verifySnap(forged).valid).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it('checks a Core API signature_key in constant time over exactly its three fields and never throws on any object', () => {
    fc.assert(
      fc.property(
        fc.string(),
        fc.constantFrom('200', '201', '202', '407'),
        fc.integer({ min: 1, max: 1e9 }),
        fc.constantFrom('order_id', 'status_code', 'gross_amount', 'signature_key'),
        hostileValue,
        (orderId, statusCode, amount, field, value) => {
          const genuine = signCore(serverKey, {
            order_id: orderId,
            status_code: statusCode,
            gross_amount: `${String(amount)}.00`,
            transaction_status: 'settlement',
          });
          expect(core.verifier.verifyCore(genuine).valid).toBe(true);
          if (Object.is(genuine[field], value)) return;
          expect(core.verifier.verifyCore({ ...genuine, [field]: value }).valid).toBe(false);
          if (value !== null && typeof value === 'object')
            expect(() => core.verifier.verifyCore(value as Record<string, unknown>)).not.toThrow();
        },
      ),
      { numRuns: 300 },
    );
  });
});
