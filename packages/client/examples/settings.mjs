// What the examples read from the environment: where Kafka is and whom to trust. The trust file is
// the one every Paystream consumer takes (docs/consumers/README.md): the event-signing public keys
// and the event-encryption keys this service may use.
import { readFileSync } from 'node:fs';
import { Kafka, logLevel } from 'kafkajs';

export function settings() {
  const brokers = (process.env.PAYSTREAM_BROKERS ?? '').split(',').filter(Boolean);
  const trustFile = process.env.PAYSTREAM_TRUST;
  if (brokers.length === 0 || !trustFile) {
    console.error('set PAYSTREAM_BROKERS (host:port,…) and PAYSTREAM_TRUST (the trust file)');
    process.exit(2);
  }
  const trust = JSON.parse(readFileSync(trustFile, 'utf8'));
  return {
    kafka: new Kafka({ clientId: 'paystream-example', brokers, logLevel: logLevel.NOTHING }),
    topicPrefix: process.env.PAYSTREAM_TOPIC_PREFIX ?? '',
    trustedKeys: trust.signingKeys,
    encryptionKeys: trust.encryptionKeys ?? [],
  };
}
