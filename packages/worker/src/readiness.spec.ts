import { describe, expect, it } from 'vitest';
import type { CommandConsumers } from './consumers.ts';
import { readinessOf } from './readiness.ts';

describe('readinessOf', () => {
  it('names every reason the worker is not ready, and none once everything works', () => {
    const consumer = { joined: false };
    const state = { reasons: ['circuit breaker open: default/snap'], failing: true, following: false };
    const readiness = readinessOf({
      consumers: new Map([['gopay', consumer]]) as unknown as CommandConsumers,
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
});
