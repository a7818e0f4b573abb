// A kafkajs installed without the project's fix of its send (an install made with --ignore-scripts):
// no Kafka client of the project is made with it (ADR 0012).
import { PaystreamError } from '@paystream/core';
import { describe, expect, it, vi } from 'vitest';
import { kafkaConnection } from './kafka-connection.ts';

vi.mock('@paystream/runtime', async (original) => ({
  ...(await original<typeof import('@paystream/runtime')>()),
  kafkaClientFixed: () => false,
}));

describe('a kafkajs without the fixed send', () => {
  it('is refused before any connection (fatal, exit 78), saying how to install it', () => {
    let err: unknown;
    try {
      kafkaConnection({ clientId: 'c', brokers: ['127.0.0.1:9092'] });
    } catch (e) {
      err = e;
    }
    expect(PaystreamError.is(err)).toBe(true);
    const e = err as PaystreamError;
    expect([e.code, e.errorClass, e.exitStatus]).toEqual(['PS_ERR_KAFKA_CLIENT_UNFIXED', 'fatal', 78]);
    expect(e.message).toContain('npm ci');
  });
});
