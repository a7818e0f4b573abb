// The simulator alone: signed BI-SNAP requests per second over keep-alive TLS. The simulator runs as
// its own process (as in the demo and the suites); the load generator signs every request afresh
// with a unique X-EXTERNAL-ID, so each one is verified, executed and stored.
import { spawn } from 'node:child_process';
import { createHash, createHmac, createPrivateKey, sign } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Pool } from 'undici';
import { median, writeResult } from '../report.ts';

const RUNS = 3;
const REQUESTS = 20_000;
const CONCURRENCY = 64;

interface Descriptor {
  baseUrl: string;
  caCertPath: string;
  credentials: { clientId: string; partnerId: string; channelId: string; clientSecret: string; merchantPrivateKeyPath: string };
}

const wib = (): string => `${new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 19)}+07:00`;

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'paystream-sim-bench-'));
  const state = join(dir, 'sim.json');
  const child = spawn(process.execPath, [join(import.meta.dirname, '../../../packages/midtrans-sim/src/cli.ts'), '--state-file', state], {
    stdio: 'ignore',
  });
  try {
    while (!existsSync(state)) await sleep(100);
    const d = JSON.parse(readFileSync(state, 'utf8')) as Descriptor;
    const pool = new Pool(d.baseUrl, {
      connections: CONCURRENCY,
      connect: { ca: readFileSync(d.caCertPath, 'utf8'), servername: 'localhost' },
    });
    const tokenTs = wib();
    const tokenSig = sign(
      'RSA-SHA256',
      Buffer.from(`${d.credentials.clientId}|${tokenTs}`),
      createPrivateKey(readFileSync(d.credentials.merchantPrivateKeyPath)),
    ).toString('base64');
    const tokenRes = await pool.request({
      method: 'POST',
      path: '/v1.0/access-token/b2b',
      headers: {
        'content-type': 'application/json',
        'x-timestamp': tokenTs,
        'x-client-key': d.credentials.clientId,
        'x-signature': tokenSig,
      },
      body: '{"grantType":"client_credentials"}',
    });
    const token = ((await tokenRes.body.json()) as { accessToken: string }).accessToken;
    const path = '/v1.0/qr/qr-mpm-generate';
    let seq = 0;
    const one = async (): Promise<void> => {
      const id = `bench-${String(++seq)}-${String(Date.now())}`;
      const body = JSON.stringify({ partnerReferenceNo: id, amount: { value: '10000.00', currency: 'IDR' }, merchantId: 'M1' });
      const ts = wib();
      const sts = `POST:${path}:${token}:${createHash('sha256').update(body).digest('hex')}:${ts}`;
      const res = await pool.request({
        method: 'POST',
        path,
        body,
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${token}`,
          'x-timestamp': ts,
          'x-signature': createHmac('sha512', d.credentials.clientSecret).update(sts).digest('base64'),
          'x-partner-id': d.credentials.partnerId,
          'x-external-id': id,
          'channel-id': d.credentials.channelId,
        },
      });
      const answer = (await res.body.json()) as { responseCode: string };
      if (answer.responseCode !== '2004700') throw new Error(`simulator answered ${answer.responseCode}`);
    };
    const runs: number[] = [];
    for (let r = 0; r < RUNS; r++) {
      let left = REQUESTS;
      const start = performance.now();
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          while (left-- > 0) await one();
        }),
      );
      runs.push((REQUESTS / (performance.now() - start)) * 1000);
    }
    await pool.close();
    writeResult({
      suite: 'sim',
      title: 'Midtrans simulator: signed BI-SNAP requests',
      figures: [
        {
          name: `QRIS generate, each signed and verified (HMAC-SHA512), ${String(CONCURRENCY)} keep-alive TLS connections`,
          unit: 'req/s',
          value: median(runs),
          runs,
          target: { minValue: 4000 },
        },
      ],
      notes: [
        'The simulator runs in its own process; the load generator, in this one, signs every request with a fresh timestamp and X-EXTERNAL-ID. Both share the same two cores.',
      ],
    });
  } finally {
    child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
