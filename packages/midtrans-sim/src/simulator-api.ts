// The simulator's public shape: the options it starts with, the credentials it issues, and the
// handle of a running simulator.
import type { Faults } from './faults.ts';
import type { RequestLogEntry } from './request-log.ts';
import type { Store } from './store.ts';
import type { WebhookConfig, WebhookSender } from './webhooks.ts';

export interface SimulatorOptions {
  readonly host?: string;
  readonly port?: number;
  /** Offer TLS 1.2 only (to test clients that must negotiate it). */
  readonly tls12Only?: boolean;
  /** Allowed X-TIMESTAMP skew; default 5 minutes. */
  readonly maxSkewMs?: number;
  readonly merchantPublicKeyPem?: string;
  readonly webhooks?: Partial<Pick<WebhookConfig, 'snapBaseUrl' | 'coreNotificationUrl' | 'timeScale' | 'caPem'>>;
  /** The largest amount (rupiah) per BI-SNAP method (`gopay`, `qris`, `va-bca`, …); larger charges answer `403xx02`. */
  readonly amountLimits?: Readonly<Record<string, number>>;
}

export interface SimulatorCredentials {
  readonly clientId: string;
  readonly partnerId: string;
  readonly channelId: string;
  readonly merchantId: string;
  /** The current client secret (a rotation's previous one stays accepted until the transition ends). */
  readonly clientSecret: string;
  readonly serverKey: string;
  readonly clientKey: string;
  /** Generated unless a merchant public key was given: the key the simulator started with. */
  readonly merchantPrivateKeyPem?: string;
  /** The merchant public key the simulator started with. */
  readonly merchantPublicKeyPem: string;
  /** The current notification-signing public key. */
  readonly midtransPublicKeyPem: string;
}

export interface Simulator {
  readonly baseUrl: string;
  readonly adminUrl: string;
  readonly caCertPem: string;
  readonly credentials: SimulatorCredentials;
  readonly store: Store;
  readonly webhooks: WebhookSender;
  readonly faults: Faults;
  /** Per-method amount limits, changeable while running (also through `POST /_sim/limits`). */
  readonly amountLimits: Record<string, number>;
  readonly requests: RequestLogEntry[];
  close(): Promise<void>;
}
