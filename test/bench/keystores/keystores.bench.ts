// Key-store benchmarks: what it costs to keep the merchant's RSA key in an HSM (SoftHSM2 over
// PKCS#11) or in AWS KMS (the local-kms emulator) rather than in a file. Signatures per second of
// the access-token string, BI-SNAP calls per second with a cached token, and access tokens per
// second with the cache defeated, each against the file key measured in the same run, interleaved.
import 'reflect-metadata';
import { verify } from 'node:crypto';
import { snapTimestamp, tokenStringToSign } from '@paystream/core';
import { median, writeResult, type BenchFigure } from '../report.ts';
import { callsPerSecond } from '../rates.ts';
import { setUpMerchantKeys, type StoreName } from './merchant-keys.ts';
import { openBenchClient, startSnapEndpoint, type BenchClient } from './snap-endpoint.ts';
import { measureSystems } from './system-throughput.ts';

const RUNS = 3;
const STORES: readonly StoreName[] = ['file', 'hsm', 'kms'];
const STORE_LABEL: Readonly<Record<StoreName, string>> = {
  file: 'a file (in process)',
  hsm: 'SoftHSM2 (PKCS#11)',
  kms: 'KMS (local-kms emulator)',
};
const SIGNATURES: Readonly<Record<StoreName, number>> = { file: 2_000, hsm: 1_000, kms: 300 };
const TOKEN_FETCHES: Readonly<Record<StoreName, number>> = { file: 500, hsm: 300, kms: 200 };
const CALLS = 8_000;
/** Charges per round of the whole-system figure (gopay, one worker process per store). */
const SYSTEM_CHARGES = 1_500;
const CONCURRENCY = 32;
const TOKEN_LIFETIME_S = 900;
const enc = new TextEncoder();
const body = {
  partnerReferenceNo: 'order-1',
  payOptionDetails: [{ payMethod: 'GOPAY', payOption: 'GOPAY', transAmount: { value: '10000.00', currency: 'IDR' } }],
};

type Runs = Record<StoreName, number[]>;

/** One task at a time, as the worker fetches one token at a time per credential set. */
async function sequentialPerSecond(n: number, task: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < n; i++) await task();
  return (n / (performance.now() - start)) * 1000;
}

/** Runs file, hsm, kms, file, hsm, kms, …: drift in the machine's load hits every store alike. */
async function interleaved(measure: (store: StoreName, run: number) => Promise<number>, rounds = RUNS): Promise<Runs> {
  const runs: Runs = { file: [], hsm: [], kms: [] };
  for (let r = 0; r < rounds; r++) for (const store of STORES) runs[store].push(await measure(store, r));
  return runs;
}

/** One figure per store; the HSM and KMS figures take the file key of the same run as baseline. */
function figuresFor(runs: Runs, what: (store: StoreName) => string, unit: string): BenchFigure[] {
  return STORES.map((store) => ({
    name: what(store),
    unit,
    value: median(runs[store]),
    runs: runs[store],
    ...(store === 'file' ? {} : { baseline: { name: 'key in a file', value: median(runs.file) } }),
  }));
}

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

async function main(): Promise<void> {
  const keys = await setUpMerchantKeys();
  const endpoint = await startSnapEndpoint();
  const clients = {} as Record<StoreName, BenchClient>;
  for (const store of STORES) {
    clients[store] = await openBenchClient(endpoint, {
      privateKeyFile: keys.privateKeyFile[store],
      clientSecretFile: keys.clientSecretFile,
      midtransPublicKeyFile: keys.midtransPublicKeyFile,
      keyStores: keys.keyStores,
    });
  }
  const merchantOf = (store: StoreName): ReturnType<BenchClient['ring']['merchant']> => clients[store].ring.merchant('default');
  const tokenString = (store: StoreName): Uint8Array => enc.encode(tokenStringToSign(merchantOf(store).clientId, snapTimestamp()));

  // Warm-up: the HSM session is opened, the KMS key checked against its public key, and every
  // signer's output verified once, before anything is timed.
  for (const store of STORES) {
    const { signer } = merchantOf(store);
    if (signer.kind !== (store === 'hsm' ? 'pkcs11' : store)) throw new Error(`the ${store} client opened a ${signer.kind} signer`);
    const data = tokenString(store);
    if (!verify('RSA-SHA256', data, signer.publicKey, await signer.sign(data))) throw new Error(`the ${store} signature did not verify`);
    await clients[store].client.snap({ path: '/v1.0/debit/payment-host-to-host', externalId: `warm-${store}`, body });
  }

  const signatures = await interleaved((store) => {
    const { signer } = merchantOf(store);
    return sequentialPerSecond(SIGNATURES[store], () => signer.sign(tokenString(store)));
  });

  const snapCallsPerSecond = (store: StoreName, round: string, n: number): Promise<number> =>
    callsPerSecond(n, CONCURRENCY, (i) =>
      clients[store].client.snap({ path: '/v1.0/debit/payment-host-to-host', externalId: `${store}-${round}-${String(i)}`, body }),
    );
  // One untimed round first: otherwise the first timed run (the file client's) is the one that warms the JIT.
  await interleaved((store) => snapCallsPerSecond(store, 'warm', CALLS), 1);
  const tokensBeforeCalls = endpoint.tokensIssued();
  const calls = await interleaved((store, r) => snapCallsPerSecond(store, String(r), CALLS));
  const tokensDuringCalls = endpoint.tokensIssued() - tokensBeforeCalls;

  const tokens = await interleaved((store) => {
    const { tokens: cache } = clients[store].client;
    return sequentialPerSecond(TOKEN_FETCHES[store], () => {
      cache.clear('default');
      return cache.get('default');
    });
  });

  for (const store of STORES) await clients[store].close();
  await endpoint.close();
  const system = await measureSystems(keys, RUNS, SYSTEM_CHARGES);
  await keys.remove();

  const slowest = Math.min(...STORES.map((s) => median(signatures[s])));
  const slowestStore = STORES.find((s) => median(signatures[s]) === slowest) ?? 'kms';
  writeResult({
    suite: 'keystores',
    title: 'Key stores: the merchant key in a file, an HSM (SoftHSM2) and KMS (local-kms)',
    figures: [
      ...figuresFor(signatures, (s) => `access-token string SHA256withRSA signatures, key in ${STORE_LABEL[s]}, one at a time`, 'sig/s'),
      ...figuresFor(
        calls,
        (s) => `BI-SNAP calls through our client, key in ${STORE_LABEL[s]} (cached token), ${String(CONCURRENCY)} concurrent`,
        'calls/s',
      ),
      ...figuresFor(
        system.perStore,
        (s) => `charges answered end to end (broker, worker process, simulator, verifying consumer), key in ${STORE_LABEL[s]}`,
        'commands/s',
      ),
      ...figuresFor(
        tokens,
        (s) => `access tokens fetched with the cache cleared before each (sign + HTTPS round trip), key in ${STORE_LABEL[s]}`,
        'tokens/s',
      ),
    ],
    notes: [
      `Every figure comes from one process: the same local HTTPS server stands in for Midtrans, and each store's runs alternate with the others' (file, HSM, KMS, file, …) so that load on the machine's cores hits all three alike. The HSM is SoftHSM2 (software, same host) and KMS the local-kms emulator on loopback: a network HSM or real AWS KMS adds its network round trip (a few ms in-region) to each signature and each token fetch, never to a call made with a cached token.`,
      `Access tokens are cached per credential set for their lifetime (${String(TOKEN_LIFETIME_S / 60)} minutes, renewed about a minute ahead) and fetched single-flight, so a worker makes one token signature per credential set about every 14 minutes, whatever its command rate. The slowest signer here, the key in ${STORE_LABEL[slowestStore]} at ${fmt(slowest)} sig/s, could sign the tokens of about ${fmt(slowest * TOKEN_LIFETIME_S)} credential sets, each refreshed every ${String(TOKEN_LIFETIME_S / 60)} minutes: thousands of times what a worker with a handful of credential sets needs.`,
      `The end-to-end figures run ${String(SYSTEM_CHARGES)} GoPay charges per round through a whole system per store (the bench's own broker, one worker process, the simulator accepting only that store's public key, the downstream collector verifying every event), from the first publish to the last action_required: the worker's commands per second with its key in each store, rounds alternating.`,
      `The BI-SNAP call figures are why: with the token cached, no call waits on the signer, and the HSM and KMS ratios stay near 1 (the server issued ${String(tokensDuringCalls)} tokens during those ${fmt(RUNS * STORES.length * CALLS)} calls). The signer's cost shows only in the token figures, where every token is signed afresh: what a token refresh costs end to end, once per credential set per lifetime.`,
    ],
  });
}

await main();
