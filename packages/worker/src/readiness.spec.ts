import { describe, expect, it } from 'vitest';
import { readinessOf } from './readiness.ts';

describe('readinessOf', () => {
  it('names every reason the worker is not ready, and none once everything works', () => {
    const consumer = { joined: false };
    const state = { reasons: ['circuit breaker open: default/snap'], failing: true, following: false };
    const readiness = readinessOf({
      consumers: new Map([['gopay', consumer]]),
      pausing: { control: { reasons: () => state.reasons } },
      publisher: state,
      orders: state,
    });
    expect(readiness()).toEqual([
      'kafka: the gopay consumer has not joined its group',
      'circuit breaker open: default/snap',
      'kafka: producing fails',
      'kafka: the order-state reader stopped',
    ]);
    Object.assign(consumer, { joined: true });
    Object.assign(state, { reasons: [], failing: false, following: true });
    expect(readiness()).toEqual([]);
  });

  it('names the setting of a refusal that stopped a Kafka client after the start, and never its free text', () => {
    const refused = Object.assign(new Error('SASL SCRAM SHA512 authentication failed: secret-looking text'), {
      name: 'KafkaJSSASLAuthenticationError',
    });
    const denied = Object.assign(new Error('Not authorized to access group'), {
      name: 'KafkaJSProtocolError',
      type: 'GROUP_AUTHORIZATION_FAILED',
    });
    const consumers = new Map([
      ['gopay', { joined: false, failure: refused }],
      ['qris', { joined: false, failure: denied }],
      ['shopeepay', { joined: false, failure: Object.assign(new Error('x y z'), { name: 'KafkaJSNonRetriableError' }) }],
    ]);
    const readiness = readinessOf({
      consumers,
      pausing: { control: { reasons: () => [] } },
      publisher: { failing: false },
      orders: { following: false, failure: refused },
      security: {
        allowPlaintext: false,
        sasl: { mechanism: 'scram-sha-512', username: 'paystream-worker', passwordFile: '/run/secrets/kafka' },
      },
    });
    const reasons = readiness();
    expect(reasons).toEqual([
      expect.stringMatching(
        /^kafka: the gopay consumer stopped: PS_ERR_KAFKA_REFUSED: .*\(kafka\.sasl\.passwordFile\): the brokers refused the SCRAM-SHA-512 login of user paystream-worker/,
      ),
      expect.stringMatching(/^kafka: the qris consumer stopped: PS_ERR_KAFKA_NOT_AUTHORIZED: .*GROUP_AUTHORIZATION_FAILED/),
      'kafka: the shopeepay consumer stopped: KafkaJSNonRetriableError; restarting',
      expect.stringMatching(/^kafka: the order-state reader stopped: PS_ERR_KAFKA_REFUSED: .*kafka\.sasl\.passwordFile/),
    ]);
    expect(reasons.join('\n')).not.toContain('secret-looking');
  });
});
