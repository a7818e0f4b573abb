// Is something listening, and does the broker answer: the checks behind start-up and status.
import { connect } from 'node:net';
import { Kafka, logLevel, type KafkaConfig } from 'kafkajs';

export function portInUse(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      done(true);
    });
    socket.once('error', () => done(false));
  });
}

/** How a probe reaches the listener: nothing for PLAINTEXT, TLS and SASL settings for the secured broker. */
export type ProbeSecurity = Pick<KafkaConfig, 'ssl' | 'sasl'>;

/** Round-trips a metadata request, which the broker answers only once it is unfenced. */
export async function answersMetadata(port: number, security: ProbeSecurity = {}): Promise<boolean> {
  const admin = new Kafka({
    clientId: 'paystream-broker-probe',
    brokers: [`127.0.0.1:${port}`],
    logLevel: logLevel.NOTHING,
    retry: { retries: 0 },
    connectionTimeout: 1000,
    ...security,
  }).admin();
  try {
    await admin.connect();
    await admin.describeCluster();
    return true;
  } catch {
    return false;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}
