// The end-to-end figure of the key-store benchmark: charges through a whole system (the broker, a
// worker process, the simulator, the verifying downstream collector) with the merchant key in each
// store, so that "tokens are cached" is measured where it matters — commands per second of a worker
// — and not only argued. Each store gets a system of its own; their rounds alternate.
import { readFileSync } from 'node:fs';
import { startSystem, until, type PaystreamSystem } from '@paystream/test-harness';
import { startBroker } from '../worker/services.ts';
import type { MerchantKeyFiles, StoreName } from './merchant-keys.ts';

const STORES: readonly StoreName[] = ['file', 'hsm', 'kms'];

export interface SystemRuns {
  readonly perStore: Record<StoreName, number[]>;
  readonly charges: number;
}

/** The public key a key reference file carries after its first line. */
function publicKeyOf(referenceFile: string): string {
  const text = readFileSync(referenceFile, 'utf8');
  return text.slice(text.indexOf('-----BEGIN PUBLIC KEY-----'));
}

async function systemFor(store: StoreName, keys: MerchantKeyFiles, brokers: readonly string[]): Promise<PaystreamSystem> {
  const s = await startSystem({
    name: `bench-keystore-${store}`,
    brokers,
    plugins: ['gopay'],
    logLevel: 'warn',
    // The simulator's own merchant key stands for the file store; the others use the store's key.
    configure: (base) => {
      const merchant = base.merchants['default'];
      if (!merchant || store === 'file') return base;
      return { ...base, merchants: { default: { ...merchant, privateKeyFile: keys.privateKeyFile[store] } }, keyStores: keys.keyStores };
    },
  });
  if (store !== 'file') {
    await s.simulator.admin.ok('POST', '/merchant-public-key', { publicKeyPem: publicKeyOf(keys.privateKeyFile[store]) });
    await s.simulator.admin.ok('POST', '/end-transition');
  }
  return s;
}

/** Charges per second from the first publish to the last action_required verified downstream. */
async function chargesPerSecond(s: PaystreamSystem, tag: string, n: number): Promise<number> {
  const charges = await Promise.all(
    Array.from({ length: n }, (_, i) => s.charge({ method: 'gopay', orderId: `${tag}-${String(i)}`, amount: 10_000 + i })),
  );
  const started = performance.now();
  await s.upstream.send(charges);
  const answered = (): number => charges.filter((c) => s.results.paymentEvent(c.orderId, 'paystream.payment.action_required')).length;
  await until(
    () => answered() === n,
    () => `${String(answered())} of ${String(n)} charges answered`,
    { timeoutMs: 300_000, intervalMs: 20 },
  );
  return (n / (performance.now() - started)) * 1000;
}

/** Warms every system, then `rounds` rounds of `charges` each, the stores alternating. */
export async function measureSystems(keys: MerchantKeyFiles, rounds: number, charges: number): Promise<SystemRuns> {
  const broker = await startBroker();
  const systems = new Map<StoreName, PaystreamSystem>();
  try {
    for (const store of STORES) systems.set(store, await systemFor(store, keys, broker.brokers));
    const perStore: Record<StoreName, number[]> = { file: [], hsm: [], kms: [] };
    for (const store of STORES) await chargesPerSecond(systems.get(store) as PaystreamSystem, `warm-${store}`, Math.ceil(charges / 5));
    for (let r = 0; r < rounds; r++)
      for (const store of STORES)
        perStore[store].push(await chargesPerSecond(systems.get(store) as PaystreamSystem, `r${String(r)}-${store}`, charges));
    for (const [store, s] of systems) {
      const refused = s.simulator.sim.requests.filter((q) => q.path === '/v1.0/access-token/b2b' && q.status !== 200);
      if (refused.length > 0) throw new Error(`the ${store} system had ${String(refused.length)} token requests refused`);
    }
    return { perStore, charges };
  } finally {
    for (const s of systems.values()) await s.close();
    await broker.stop();
  }
}
