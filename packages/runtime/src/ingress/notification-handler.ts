// One notification, its body already read and bounded: signature verified over the raw bytes before
// anything parses them (a Core API notification carries its signature inside the body, so that one
// is parsed first), then at most one confirmation per notification within the replay window: find the
// order, confirm by status inquiry, cross-check amount and order, publish (acks=all), answer 200.
// Anything unverifiable is never a success; a non-2xx answer makes Midtrans retry later.
import type { IncomingHttpHeaders } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { MidtransError, type NotificationVerifier } from '@paystream/core';
import type { PaymentMethodPlugin } from '@paystream/plugin-sdk';
import { amountMismatch } from '../dispatch/amount-check.ts';
import type { OrderUpdatesApi } from '../dispatch/order-updates.ts';
import type { OrderReferences } from '../state/order-references.ts';
import { inquirable, statusCommand } from '../state/status-command.ts';
import { CORE_NOTIFICATION_PATH, REFERENCE_FIELDS, type NotificationHandover } from './notification-handover.ts';
import { acknowledged, parseObject } from './notification-answers.ts';
import { answers, type IngressEvent, type IngressOutcome } from './outcomes.ts';
import { ReplayWindow, type Answer } from './replay-window.ts';
import { verifySpan } from '../tracing/spans.ts';

export { CORE_NOTIFICATION_PATH } from './notification-handover.ts';

export interface Route {
  readonly path: string;
  readonly kind: 'snap' | 'core';
}

/** A handed-over notification whose inquiry fails is asked again 1 s later, the wait doubling up to a minute. */
const HANDOVER_RETRY_MS = 1_000;
const HANDOVER_RETRY_MAX_MS = 60_000;
/** X-EXTERNAL-ID is at most 36 characters in BI-SNAP; a longer one is not used to find duplicates. */
const MAX_EXTERNAL_ID = 64;

const str = (o: Record<string, unknown>, k: string): string | undefined => (typeof o[k] === 'string' ? o[k] : undefined);
const header = (h: IncomingHttpHeaders, name: string): string | undefined => (typeof h[name] === 'string' ? h[name] : undefined);

export interface NotificationHandlerDeps {
  readonly plugins: ReadonlyMap<string, PaymentMethodPlugin>;
  readonly verifier: NotificationVerifier;
  readonly orders: OrderReferences;
  readonly updates: OrderUpdatesApi;
  readonly replay: ReplayWindow;
  readonly note: (e: IngressEvent) => void;
  /** In a fleet: where a notification for an order this worker does not hold goes to its owner. */
  readonly handover?: Pick<NotificationHandover, 'send'>;
}

export class NotificationHandler {
  readonly #deps: NotificationHandlerDeps;
  readonly #snapPaths: ReadonlySet<string>;
  readonly #core: boolean;

  constructor(deps: NotificationHandlerDeps) {
    this.#deps = deps;
    const plugins = [...deps.plugins.values()];
    this.#snapPaths = new Set(plugins.flatMap((p) => p.notifications.snapPaths ?? []));
    this.#core = plugins.some((p) => (p.notifications.corePaymentTypes ?? []).length > 0);
  }

  /** Every notify path served. */
  get paths(): ReadonlySet<string> {
    return new Set([...this.#snapPaths, ...(this.#core ? [CORE_NOTIFICATION_PATH] : [])]);
  }

  /** The notify route a request is for; undefined for anything else. */
  routeOf(method: string | undefined, path: string): Route | undefined {
    if (method !== 'POST') return undefined;
    if (this.#snapPaths.has(path)) return { path, kind: 'snap' };
    return path === CORE_NOTIFICATION_PATH && this.#core ? { path, kind: 'core' } : undefined;
  }

  async handle(route: Route, headers: IncomingHttpHeaders, raw: Buffer): Promise<Answer> {
    const { path } = route;
    const note = (outcome: IngressOutcome, extra: Partial<IngressEvent> = {}): void => this.#deps.note({ path, outcome, ...extra });
    if (route.kind === 'snap') {
      const verdict = verifySpan('snap', () =>
        this.#deps.verifier.verifySnap({
          method: 'POST',
          path,
          timestamp: header(headers, 'x-timestamp'),
          signature: header(headers, 'x-signature'),
          rawBody: raw,
        }),
      );
      if (!verdict.valid) {
        note('rejected', { reason: verdict.reason });
        return answers.unauthorized;
      }
    }
    const body = parseObject(raw);
    if (!body) {
      note('malformed');
      return { status: 400, body: { responseCode: '4000001', responseMessage: 'Invalid JSON' } };
    }
    if (route.kind === 'core') {
      const verdict = verifySpan('core', () => this.#deps.verifier.verifyCore(body));
      if (!verdict.valid) {
        note('rejected', { reason: verdict.reason });
        return answers.unauthorized;
      }
    }
    const keys = [ReplayWindow.key('body', path, raw)];
    const externalId = header(headers, 'x-external-id');
    if (route.kind === 'snap' && externalId && externalId.length <= MAX_EXTERNAL_ID)
      keys.push(ReplayWindow.key('x-external-id', path, header(headers, 'x-partner-id') ?? '', externalId));
    const { answer, duplicate } = await this.#deps.replay.once(keys, () => this.#confirm(path, body));
    if (duplicate) note('duplicate', { reason: `answered ${String(answer.status)} as its first copy` });
    return answer;
  }

  /**
   * A notification another worker received and handed over (notification-handover.ts), confirmed here
   * in its order's key sequence (`run`); false when this worker does not hold the order either (a copy
   * sent to every partition, meant for another owner).
   */
  async confirmHandedOver(
    path: string,
    body: Record<string, unknown>,
    run: (orderId: string, task: () => Promise<void>) => Promise<void>,
    stopped: () => boolean = () => false,
  ): Promise<boolean> {
    const orderId = this.#orderOf(body);
    if (!orderId) return false;
    // Midtrans was answered already and will not retry: this worker does, as Midtrans would, until the
    // inquiry answers (each in the order's key sequence) or the worker stops — the handover record is
    // then not committed, and its next owner reads it again.
    for (let waitMs = HANDOVER_RETRY_MS; !stopped(); waitMs = Math.min(waitMs * 2, HANDOVER_RETRY_MAX_MS)) {
      let status = 0;
      await run(orderId, async () => {
        status = (await this.#confirm(path, body, true)).status;
      });
      if (status !== 503) return true;
      await sleep(waitMs);
    }
    throw new Error('stopped before the handed-over notification was confirmed');
  }

  /** Each notification names its transaction its own way (and may carry references we never learnt): the first field naming a known order wins. */
  #orderOf(body: Record<string, unknown>): string | undefined {
    for (const field of REFERENCE_FIELDS) {
      const value = str(body, field);
      const orderId = value ? this.#deps.orders.orderOf(value) : undefined;
      if (orderId) return orderId;
    }
    return undefined;
  }

  /** The notification is a hint: the status inquiry is what we publish. */
  async #confirm(path: string, body: Record<string, unknown>, handedOver = false): Promise<Answer> {
    const { orders, plugins, updates, handover } = this.#deps;
    const note = (outcome: IngressOutcome, extra: Partial<IngressEvent> = {}): void => this.#deps.note({ path, outcome, ...extra });
    const orderId = this.#orderOf(body);
    // Not held here, and the state is split among a fleet: the order's owner confirms it.
    if (!orderId && handover && !handedOver && !orders.fleet.holdsAll) return this.#handOver(path, body, handover);
    const retired = orderId ? undefined : this.#retired(body);
    if (retired) {
      // Ended and retained long ago: answered, so Midtrans stops sending it, and never acted on.
      note('retired-order', { orderId: retired, reason: 'the order left the order state after its retention' });
      return acknowledged(path, body);
    }
    const known = orderId ? orders.get(orderId) : undefined;
    const plugin = known?.method ? plugins.get(known.method) : undefined;
    if (!orderId || !known || !plugin || !inquirable(known)) {
      // Not ours yet (or a charge still being recorded): Midtrans will retry.
      note('unknown-order');
      return { status: 404, body: { responseCode: '4040001', responseMessage: 'Transaction Not Found' } };
    }
    const command = statusCommand(orderId, known, plugin);
    let update;
    try {
      update = await updates.inquire(plugin, command);
    } catch (err) {
      if (!MidtransError.is(err)) throw err;
      note('inquiry-failed', { orderId, reason: err.code });
      return { status: 503, body: { responseCode: '5030000', responseMessage: 'Status inquiry unavailable, retry later' } };
    }
    const wrong = amountMismatch(update, command.amount);
    if (wrong) {
      note('amount-mismatch', { orderId, reason: wrong });
      return { status: 500, body: { responseCode: '5000001', responseMessage: 'Amount mismatch under review' } };
    }
    await updates.publish(command, plugin, update, { verification: 'notification+inquiry' });
    note('published', { orderId, status: update.status });
    return acknowledged(path, body);
  }

  /** Answered once Kafka acknowledged the handover: the notification is then as durable as a command. */
  async #handOver(path: string, body: Record<string, unknown>, handover: Pick<NotificationHandover, 'send'>): Promise<Answer> {
    const note = (outcome: IngressOutcome, extra: Partial<IngressEvent> = {}): void => this.#deps.note({ path, outcome, ...extra });
    const sent = await handover.send(path, body).catch((err: unknown) => err as Error);
    if (sent instanceof Error) {
      note('handover-failed', { reason: sent.name });
      return { status: 503, body: { responseCode: '5030000', responseMessage: 'Notification not accepted yet, retry later' } };
    }
    if (sent === undefined) {
      note('unknown-order');
      return { status: 404, body: { responseCode: '4040001', responseMessage: 'Transaction Not Found' } };
    }
    note('handed-over', sent.orderId === undefined ? {} : { orderId: sent.orderId });
    return acknowledged(path, body);
  }

  /** The order a notification names by its order id, if that order left the state and is remembered as retired. */
  #retired(body: Record<string, unknown>): string | undefined {
    for (const field of REFERENCE_FIELDS) {
      const value = str(body, field);
      if (value !== undefined && value.length <= 256 && this.#deps.orders.retired.at(value) !== undefined) return value;
    }
    return undefined;
  }
}
