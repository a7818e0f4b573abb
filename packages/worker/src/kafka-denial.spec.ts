import { describe, expect, it } from 'vitest';
import { kafkaDenial } from './kafka-denial.ts';

describe('kafkaDenial', () => {
  it('names the broker error type of an authorization refusal, found through the causes, with exit status 77', () => {
    const refused = Object.assign(new Error('Not authorized to access topics: [Topic authorization failed]'), {
      name: 'KafkaJSProtocolError',
      type: 'TOPIC_AUTHORIZATION_FAILED',
    });
    const wrapped = Object.assign(new Error('Number of retries exceeded'), { name: 'KafkaJSNonRetriableError', cause: refused });
    const denial = kafkaDenial(wrapped);
    expect([denial?.code, denial?.exitStatus]).toEqual(['PS_ERR_KAFKA_NOT_AUTHORIZED', 77]);
    expect(denial?.message).toBe(
      'the brokers refused the request (TOPIC_AUTHORIZATION_FAILED): the principal this command connects as holds no ACL for it (see paystream acls plan)',
    );
  });

  it('leaves every other error alone, and never repeats a type that is not a broker authorization code', () => {
    expect(kafkaDenial(Object.assign(new Error('x'), { type: 'UNKNOWN_TOPIC_OR_PARTITION' }))).toBeUndefined();
    expect(kafkaDenial(Object.assign(new Error('x'), { type: '4111111111111111_AUTHORIZATION_FAILED' }))).toBeUndefined();
    expect(kafkaDenial(new Error('plain'))).toBeUndefined();
    expect(kafkaDenial(undefined)).toBeUndefined();
  });
});
