// kafkajs and node:tls clients for the secured broker's tests, most of which expect a refusal.
import { sign, type KeyObject } from 'node:crypto';
import { connect as tlsConnect, type ConnectionOptions } from 'node:tls';
import { Kafka, logLevel, type KafkaConfig } from 'kafkajs';

/** A client that gives up at the first refusal. */
export function client(config: Omit<KafkaConfig, 'clientId'>): Kafka {
  return new Kafka({
    clientId: 'paystream-secure-test',
    logLevel: logLevel.NOTHING,
    connectionTimeout: 3000,
    requestTimeout: 5000,
    retry: { retries: 0 },
    ...config,
  });
}

/** Names, protocol error types and messages along the cause chain (kafkajs wraps the broker's error). */
export async function refusal(action: () => Promise<unknown>): Promise<string> {
  try {
    await action();
  } catch (err) {
    const parts: string[] = [];
    for (let e: unknown = err, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
      const type = (e as { type?: unknown }).type;
      parts.push(e.name, e.message, typeof type === 'string' ? type : '');
    }
    return parts.join(' | ');
  }
  throw new Error('expected a refusal, but the action succeeded');
}

/** Connects (authenticating), asks for the cluster and disconnects. */
export async function connectAdmin(kafka: Kafka): Promise<void> {
  const admin = kafka.admin();
  try {
    await admin.connect();
    await admin.describeCluster();
  } finally {
    await admin.disconnect();
  }
}

export async function produce(kafka: Kafka, topic: string, value: string): Promise<void> {
  const producer = kafka.producer();
  try {
    await producer.connect();
    await producer.send({ topic, acks: -1, messages: [{ key: 'k', value }] });
  } finally {
    await producer.disconnect();
  }
}

/** The TLS handshake alone: the negotiated protocol, or the error code that ended it. */
export function handshake(address: string, options: ConnectionOptions): Promise<string> {
  return new Promise((done) => {
    const socket = tlsConnect({ host: '127.0.0.1', port: Number(address.split(':')[1]), ...options }, () => {
      done(socket.getProtocol() ?? 'unknown');
      socket.destroy();
    });
    socket.once('error', (err: NodeJS.ErrnoException) => done(err.code ?? err.message));
  });
}

/** A client-credentials grant with HTTP Basic, as OAuth clients (and the worker's) send it. */
export async function requestToken(endpoint: string, clientId: string, secret: string, grant = 'client_credentials') {
  const basic = Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(secret)}`).toString('base64');
  const res = await fetch(endpoint, {
    method: 'POST',
    headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: grant }).toString(),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

export const jwtPart = (token: string, index: 0 | 1): Record<string, unknown> =>
  JSON.parse(Buffer.from(token.split('.')[index] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;

/** An RS256 JWT signed with any key: what a forger can make. */
export function signJwt(header: object, claims: object, key: KeyObject): string {
  const encode = (v: object): string => Buffer.from(JSON.stringify(v)).toString('base64url');
  const body = `${encode(header)}.${encode(claims)}`;
  return `${body}.${sign('sha256', Buffer.from(body), key).toString('base64url')}`;
}
