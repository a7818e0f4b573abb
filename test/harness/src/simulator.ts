// The Midtrans simulator for a run: started in this process, its descriptor written where the
// workers read it, and driven the way tests drive Midtrans' sandbox — through its admin API.
import { join } from 'node:path';
import { startSimulator, writeDescriptor, type FaultKind, type Simulator } from '@paystream/midtrans-sim';
import { HttpsClient } from './https-client.ts';

export type TransactionRef =
  | { readonly referenceNo: string }
  | { readonly orderId: string }
  | { readonly partnerReferenceNo: string }
  /** What a payer dials into the banking app: a virtual account's number. */
  | { readonly vaNumber: string }
  /** What a customer shows at a convenience store's counter. */
  | { readonly paymentCode: string };

export interface FaultRequest {
  readonly kind: FaultKind;
  readonly path?: string;
  readonly count?: number;
  readonly probability?: number;
  readonly latencyMs?: number;
  /** Midtrans handles the request, then the fault replaces its answer. */
  readonly processed?: boolean;
}

export interface WebhookSettings {
  readonly snapBaseUrl?: string;
  readonly coreNotificationUrl?: string;
  readonly timeScale?: number;
  readonly duplicate?: boolean;
  readonly wrongSignature?: boolean;
  /** Sign with the Midtrans key the last rotation retired. */
  readonly retiredKeySignature?: boolean;
  readonly dropOrders?: readonly string[];
  readonly deliverOrders?: readonly string[];
}

/** The simulator's admin API (`/_sim/*`), over HTTPS. */
export class SimAdmin {
  readonly #url: string;
  readonly #http: HttpsClient;

  constructor(adminUrl: string, http: HttpsClient) {
    this.#url = adminUrl;
    this.#http = http;
  }

  /** Any admin route (docs/simulator.md), its status and body as answered. */
  async call(method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }> {
    return this.#http.json(`${this.#url}${path}`, method, body);
  }

  /** Any admin route; throws unless it answers 200. */
  async ok(method: string, path: string, body?: unknown): Promise<unknown> {
    const answer = await this.call(method, path, body);
    if (answer.status !== 200)
      throw new Error(`simulator ${method} /_sim${path} answered ${String(answer.status)}: ${JSON.stringify(answer.body)}`);
    return answer.body;
  }

  /** The customer pays; 409 (no longer pending) is returned, not thrown, so a retried payment is harmless. */
  async pay(ref: TransactionRef): Promise<number> {
    const { status } = await this.call('POST', '/pay', ref);
    if (status !== 200 && status !== 409) throw new Error(`simulator refused to pay ${JSON.stringify(ref)}: HTTP ${String(status)}`);
    return status;
  }

  async addFault(fault: FaultRequest): Promise<void> {
    await this.ok('POST', '/faults', fault);
  }

  async clearFaults(): Promise<void> {
    await this.ok('DELETE', '/faults');
  }

  async webhooks(settings: WebhookSettings): Promise<void> {
    await this.ok('POST', '/webhooks', settings);
  }

  /** The transaction's notification again, or as at `status` (a late or a forged one). */
  async renotify(ref: TransactionRef, status?: string): Promise<void> {
    await this.ok('POST', '/renotify', { ...ref, ...(status ? { status } : {}) });
  }
}

export interface RunningSimulator {
  readonly sim: Simulator;
  readonly descriptorPath: string;
  readonly admin: SimAdmin;
  readonly http: HttpsClient;
  close(): Promise<void>;
}

export async function startRunSimulator(dir: string, timeScale: number): Promise<RunningSimulator> {
  const sim = await startSimulator({ webhooks: { timeScale } });
  const descriptorPath = join(dir, 'sim.json');
  writeDescriptor(sim, descriptorPath);
  const http = new HttpsClient(sim.caCertPem);
  return {
    sim,
    descriptorPath,
    http,
    admin: new SimAdmin(sim.adminUrl, http),
    close: async () => {
      http.close();
      await sim.close();
    },
  };
}
