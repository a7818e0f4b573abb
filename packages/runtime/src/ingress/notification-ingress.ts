// The notification ingress' transport: the server, its timeouts and connection caps, the per-client
// rate limit, the size and freshness checks that refuse a request before its body is read, and the
// bounded read; NotificationHandler does the rest. Plain HTTP only on loopback unless allowed.
import { createServer as createHttp, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttps } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { SecureContextOptions } from 'node:tls';
import type { KafkaMessage } from 'kafkajs';
import type { NotificationVerifier } from '@paystream/core';
import type { PaymentMethodPlugin } from '@paystream/plugin-sdk';
import type { UpdatesOption } from '../dispatch/order-updates.ts';
import type { OrderReferences } from '../state/order-references.ts';
import { declaredTooLarge, readBounded, refuse, reply } from './body.ts';
import { capConnections } from './connection-caps.ts';
import { refusePlainHttpExposure } from './exposure.ts';
import { isFresh } from './freshness.ts';
import { clientKey, DEFAULT_INGRESS_LIMITS, type IngressLimits } from './limits.ts';
import { NotificationHandler, type Route } from './notification-handler.ts';
import { readHandedOver, type NotificationHandover } from './notification-handover.ts';
import { answers, type IngressEvent, type IngressOutcome } from './outcomes.ts';
import { notificationSpan } from '../tracing/spans.ts';
import { ClientRateLimiter } from './rate-limiter.ts';
import { ReplayWindow, type Answer } from './replay-window.ts';

export type IngressOptions = IngressSettings & UpdatesOption;

export interface IngressSettings {
  readonly plugins: ReadonlyMap<string, PaymentMethodPlugin>;
  readonly verifier: NotificationVerifier;
  readonly orders: OrderReferences;
  readonly host?: string;
  readonly port?: number;
  /** TLS certificate and key (core's inbound policy); plain HTTP only on loopback or behind a TLS-terminating proxy. */
  readonly tls?: SecureContextOptions;
  /** Serve plain HTTP on a non-loopback address: only behind a proxy that terminates TLS. */
  readonly allowPlainHttp?: boolean;
  readonly limits?: Partial<IngressLimits>;
  readonly onEvent?: (e: IngressEvent) => void;
  /** In a fleet: hands notifications for orders held elsewhere to their owner (notification-handover.ts). */
  readonly handover?: NotificationHandover;
}

export interface Ingress {
  readonly url: string;
  /**
   * Confirms a notification another worker handed over, in its order's key sequence (`run`), if this
   * worker holds the order; a record no worker wrote is reported malformed and skipped.
   */
  handedOver(message: Pick<KafkaMessage, 'value'>, run: (orderId: string, task: () => Promise<void>) => Promise<void>): Promise<void>;
  close(): Promise<void>;
}

function pathOf(url: string | undefined): string {
  try {
    return new URL(url ?? '/', 'http://ingress').pathname;
  } catch {
    return '/';
  }
}

function serve(opts: IngressOptions, limits: IngressLimits, listener: (req: IncomingMessage, res: ServerResponse) => void): Server {
  const options = {
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    // The timeouts are enforced at each check: check often enough for them to hold within a second or so.
    connectionsCheckingInterval: Math.max(100, Math.min(1_000, Math.floor(limits.headersTimeoutMs / 4))),
    maxHeaderSize: 16 * 1024,
  };
  const server: Server = opts.tls
    ? createHttps({ ...opts.tls, ...options, handshakeTimeout: limits.headersTimeoutMs }, listener)
    : createHttp(options, listener);
  server.keepAliveTimeout = limits.keepAliveTimeoutMs;
  capConnections(server, limits);
  return server;
}

/** Why a request is turned away before its body is read, if it is: everything here costs no more than its headers. */
function admission(req: IncomingMessage, route: Route | undefined, limiter: ClientRateLimiter): [IngressOutcome, Answer] | undefined {
  if (!limiter.take(clientKey(req.socket.remoteAddress))) return ['rate-limited', answers.tooMany];
  if (!route) return ['not-found', answers.notFound];
  if (declaredTooLarge(req)) return ['too-large', answers.tooLarge];
  const timestamp = req.headers['x-timestamp'];
  if (route.kind === 'snap' && !isFresh(typeof timestamp === 'string' ? timestamp : undefined)) return ['stale', answers.stale];
  return undefined;
}

/** Serves one request: turned away on its headers alone, or read within bounds and handed to the handler. */
function requestListener(
  handler: NotificationHandler,
  limiter: ClientRateLimiter,
  emit: (e: IngressEvent) => void,
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const route = handler.routeOf(req.method, pathOf(req.url));
    const note = (outcome: IngressOutcome, extra: Partial<IngressEvent> = {}): void => {
      emit({ path: route?.path ?? 'other', outcome, ...extra });
    };
    const turnAway = ([outcome, answer]: [IngressOutcome, Answer]): void => {
      refuse(req, res, answer.status, answer.body);
      if (outcome === 'too-large') req.socket.once('close', () => note(outcome, { bytesRead: req.socket.bytesRead }));
      else note(outcome);
    };
    const refusal = admission(req, route, limiter);
    if (refusal !== undefined || route === undefined) {
      turnAway(refusal ?? ['not-found', answers.notFound]);
      return;
    }
    void readBounded(req)
      .then(async (read) => {
        if ('refused' in read) {
          if (read.refused === 'too-large') turnAway(['too-large', answers.tooLarge]);
          else req.socket.destroy();
          return;
        }
        const answer = await notificationSpan(route.kind, route.path, () => handler.handle(route, req.headers, read.raw));
        reply(res, answer.status, answer.body);
      })
      .catch(() => {
        reply(res, answers.internal.status, answers.internal.body);
      });
  };
}

export async function startIngress(opts: IngressOptions): Promise<Ingress> {
  refusePlainHttpExposure(opts);
  const limits: IngressLimits = { ...DEFAULT_INGRESS_LIMITS, ...opts.limits };
  const limiter = new ClientRateLimiter(limits.rateLimit);
  const emit = (e: IngressEvent): void => opts.onEvent?.(e);
  const { plugins, verifier, orders } = opts;
  const handler = new NotificationHandler({
    plugins,
    verifier,
    orders,
    updates: opts.updates,
    replay: new ReplayWindow(),
    note: emit,
    ...(opts.handover ? { handover: opts.handover } : {}),
  });

  let closed = false;
  const listener = requestListener(handler, limiter, emit);
  const server = serve(opts, limits, listener);
  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => {
      server.off('error', fail);
      done();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `${opts.tls ? 'https' : 'http'}://${opts.host ?? '127.0.0.1'}:${String(port)}`,
    handedOver: async (message, run) => {
      const handed = readHandedOver(message, handler.paths);
      if (!handed) emit({ path: 'other', outcome: 'malformed', reason: 'not a handed-over notification' });
      else await handler.confirmHandedOver(handed.path, handed.body, run, () => closed);
    },
    close: () =>
      new Promise((done) => {
        closed = true;
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
