import { describe, expect, it } from 'vitest';
import { OutcomeSummary } from './outcome-summary.ts';

describe('OutcomeSummary', () => {
  it('counts commands by method and outcome with their latency, and starts afresh after each line', () => {
    const s = new OutcomeSummary();
    s.add('gopay', 'action_required', 40);
    s.add('gopay', 'action_required', 20);
    s.add('qris', 'PS_ERR_COMMAND_INVALID', undefined);
    expect(s.take()).toMatchObject({
      commands: 3,
      outcomes: { 'gopay action_required': 2, 'qris PS_ERR_COMMAND_INVALID': 1 },
      latencyMsMax: 40,
      latencyMsMean: 30,
    });
    expect(s.take()).toMatchObject({ commands: 0, outcomes: {} });
    expect(s.take()).not.toHaveProperty('latencyMsMax');
  });
});
