import { generateKeyPairSync, randomUUID, sign } from 'node:crypto';
import { CloudEvent } from 'cloudevents';
import { describe, expect, it } from 'vitest';
import { AUDIT_ACTIONS, AUDIT_DETAIL_MAX, AuditEvent } from './audit.ts';
import { canonicalEventBytes } from './canonical.ts';
import { topics } from './command.ts';
import { verifyEvent } from './verify.ts';

const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const published = [{ keyId: '0123456789abcdef', publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() }];

function signed(overrides: Record<string, unknown> = {}, data: Record<string, unknown> = {}): Record<string, unknown> {
  const event: Record<string, unknown> = {
    specversion: '1.0',
    id: randomUUID(),
    source: 'paystream/cli',
    type: 'paystream.audit.events_republished',
    subject: 'order-1',
    time: '2026-11-24T03:00:00.000Z',
    datacontenttype: 'application/json',
    paystreamkid: '0123456789abcdef',
    data: {
      actor: { id: 'siti@ops-host', via: 'cli' },
      action: 'events_republished',
      target: { orderId: 'order-1', topic: 'paystream.results' },
      outcome: 'done',
      detail: 'republished 2 result event(s) byte for byte',
      count: 2,
      ...data,
    },
    ...overrides,
  };
  event['paystreamsig'] = sign(null, canonicalEventBytes(event), privateKey).toString('base64url');
  return event;
}

describe('audit events', () => {
  it('are CloudEvents 1.0 on paystream.audit, match the contract and verify as result events do', () => {
    const event = signed();
    expect(AuditEvent.safeParse(event).success).toBe(true);
    expect(() => new CloudEvent(event, true).validate()).not.toThrow();
    expect(verifyEvent(event, published)).toEqual({ valid: true, keyId: '0123456789abcdef' });
    expect(topics.audit).toBe('paystream.audit');
  });

  it('fail verification on any change, the actor included', () => {
    const event = signed();
    const tampered = structuredClone(event) as { data: { actor: { id: string } } };
    tampered.data.actor.id = 'someone-else';
    expect(verifyEvent(tampered, published).valid).toBe(false);
  });

  it('have a type for each action, the console’s included, and refuse a type that names another action', () => {
    expect(AUDIT_ACTIONS).toEqual(
      expect.arrayContaining([
        'events_republished',
        'group_reset',
        'refund_requested',
        'refund_approved',
        'action_refused',
        'dlq_replayed',
      ]),
    );
    for (const action of AUDIT_ACTIONS)
      expect(AuditEvent.safeParse(signed({ type: `paystream.audit.${action}` }, { action })).success).toBe(true);
    expect(AuditEvent.safeParse(signed({ type: 'paystream.audit.group_reset' })).success).toBe(false);
    expect(AuditEvent.safeParse(signed({ type: 'paystream.audit.something_else' })).success).toBe(false);
  });

  it('name what was acted on, who acted and how it ended, within bounds', () => {
    const bad = [
      { target: {} },
      { target: { group: 'g', extra: 1 } },
      { actor: { id: '', via: 'cli' } },
      { actor: { id: 'a', via: 'email' } },
      { outcome: 'failed' },
      { detail: 'x'.repeat(AUDIT_DETAIL_MAX + 1) },
      { count: -1 },
    ];
    for (const data of bad) expect(AuditEvent.safeParse(signed({}, data)).success, JSON.stringify(data).slice(0, 60)).toBe(false);
    const reset = { target: { group: 'ledger.results', topic: 'paystream.results', at: '2026-11-24T00:00:00Z' }, outcome: 'dry_run' };
    expect(AuditEvent.safeParse(signed({ type: 'paystream.audit.group_reset' }, { ...reset, action: 'group_reset' })).success).toBe(true);
  });
});
