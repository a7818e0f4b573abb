// The planned ACLs are least privilege: each role gets exactly the resources and operations its
// clients use, no principal gets ALL, a wildcard, CREATE or a cluster permission, and a configuration
// that would let one principal reach another's topics or consumer groups is refused.
import { ConfigError } from '@paystream/core';
import { STATE_READER_GROUP_PREFIX, TOPIC_READER_GROUP_PREFIX, topology } from '@paystream/runtime';
import { describe, expect, it } from 'vitest';
import { DLQ_READER_GROUP_PREFIX } from '../cli/dlq/dlq-records.ts';
import { AclsConfig } from './config.ts';
import { planAcls, type AclBinding } from './plan.ts';
import { aclTable } from './table.ts';

const names = topology('live.');
const methods = ['card-3ds', 'dana', 'gopay', 'qris', 'shopeepay', 'va'];
const acls = AclsConfig.parse({
  worker: 'User:paystream-worker',
  upstream: [
    { principal: 'User:checkout', methods: ['gopay'] },
    { principal: 'User:cards', methods: ['card-3ds', 'va'] },
  ],
  downstream: [{ principal: 'User:ledger', groupPrefix: 'ledger.' }],
  operator: 'User:operator',
});
const plan = planAcls({ acls, names, methods });
const of = (principal: string): string[] =>
  plan.filter((b) => b.principal === principal).map((b) => `${b.operation} ${b.resourceType} ${b.patternType} ${b.name}`);
const commandTopics = new Set(methods.map((m) => names.commands(m)));

function refusal(run: () => unknown): string[] {
  try {
    run();
  } catch (err) {
    if (err instanceof ConfigError) return [...err.issues];
    throw err;
  }
  return [];
}

describe('planAcls', () => {
  it('lets an upstream service write the command topics of its methods and nothing else', () => {
    expect(of('User:checkout')).toEqual([
      'WRITE TOPIC LITERAL live.paystream.commands.gopay',
      'DESCRIBE TOPIC LITERAL live.paystream.commands.gopay',
    ]);
    expect(of('User:cards').filter((b) => b.startsWith('WRITE'))).toEqual([
      'WRITE TOPIC LITERAL live.paystream.commands.card-3ds',
      'WRITE TOPIC LITERAL live.paystream.commands.va',
    ]);
  });

  it('gives the worker its command topics and groups to read, results, DLQs and state to write, and no command topic to write', () => {
    const worker = of('User:paystream-worker');
    for (const m of methods) {
      expect(worker).toContain(`READ TOPIC LITERAL live.paystream.commands.${m}`);
      expect(worker).toContain(`READ GROUP LITERAL live.paystream.worker.${m}`);
      expect(worker).toContain(`WRITE TOPIC LITERAL live.paystream.commands.${m}.dlq`);
    }
    expect(worker).toContain('WRITE TOPIC LITERAL live.paystream.results');
    expect(worker).not.toContain('READ TOPIC LITERAL live.paystream.results');
    for (const op of ['READ', 'WRITE', 'DESCRIBE']) expect(worker).toContain(`${op} TOPIC LITERAL live.paystream.orders.state`);
    expect(worker).toContain(`READ GROUP PREFIXED ${STATE_READER_GROUP_PREFIX}`);
    expect(plan.filter((b) => b.role === 'worker' && b.operation === 'WRITE' && commandTopics.has(b.name))).toEqual([]);
  });

  it('lets a downstream service read the results in its own groups, and write nothing', () => {
    expect(of('User:ledger')).toEqual([
      'READ TOPIC LITERAL live.paystream.results',
      'DESCRIBE TOPIC LITERAL live.paystream.results',
      'READ GROUP PREFIXED ledger.',
    ]);
  });

  it('lets the operator read the DLQs, replay commands, re-deliver results, move downstream groups and audit, nothing more', () => {
    const operator = of('User:operator');
    expect(operator.filter((b) => b.startsWith('READ'))).toEqual([
      ...methods.map((m) => `READ TOPIC LITERAL live.paystream.commands.${m}.dlq`),
      `READ GROUP PREFIXED ${DLQ_READER_GROUP_PREFIX}`,
      'READ TOPIC LITERAL live.paystream.results',
      `READ GROUP PREFIXED ${TOPIC_READER_GROUP_PREFIX}`,
      'READ GROUP PREFIXED ledger.',
    ]);
    expect(operator.filter((b) => b.startsWith('WRITE'))).toEqual([
      ...methods.map((m) => `WRITE TOPIC LITERAL live.paystream.commands.${m}`),
      'WRITE TOPIC LITERAL live.paystream.results',
      'WRITE TOPIC LITERAL live.paystream.audit',
    ]);
    // DESCRIBE on groups: reset-group reads a downstream group's members and offsets before moving it.
    expect(operator.filter((b) => b.startsWith('DESCRIBE GROUP'))).toEqual(['DESCRIBE GROUP PREFIXED ledger.']);
    expect(operator.filter((b) => b.includes('orders.state') || b.includes('notifications') || b.includes('paystream.worker'))).toEqual([]);
  });

  it("refuses a downstream group prefix that reaches the operator's readers", () => {
    const onReaders = AclsConfig.parse({ downstream: [{ principal: 'User:ledger', groupPrefix: 'paystream-reader-x' }] });
    expect(refusal(() => planAcls({ acls: onReaders, names, methods }))).toHaveLength(1);
  });

  it('grants no ALL, wildcard, DENY, CREATE or cluster permission, and names every topic literally under the prefix', () => {
    for (const b of plan) {
      expect(['READ', 'WRITE', 'DESCRIBE']).toContain(b.operation);
      expect(['TOPIC', 'GROUP']).toContain(b.resourceType);
      expect(b.permission).toBe('ALLOW');
      expect(b.name).not.toContain('*');
      expect(b.principal).not.toContain('*');
      if (b.resourceType === 'TOPIC') expect([b.patternType, b.name.startsWith('live.paystream.')]).toEqual(['LITERAL', true]);
    }
    expect(new Set(plan.map((b) => JSON.stringify(b))).size).toBe(plan.length);
  });

  it('plans nothing when kafka.acls names no one', () => {
    expect(planAcls({ acls: AclsConfig.parse({}), names, methods })).toEqual([]);
  });

  it('lets an upstream that waits for results read them in its own groups, and refuses a prefix another owner has', () => {
    const waiting = AclsConfig.parse({ upstream: [{ principal: 'User:checkout', methods: ['gopay'], waitGroupPrefix: 'checkout-wait.' }] });
    const bindings = planAcls({ acls: waiting, names, methods }).map((b) => `${b.operation} ${b.resourceType} ${b.patternType} ${b.name}`);
    expect(bindings).toEqual([
      'WRITE TOPIC LITERAL live.paystream.commands.gopay',
      'DESCRIBE TOPIC LITERAL live.paystream.commands.gopay',
      'READ TOPIC LITERAL live.paystream.results',
      'DESCRIBE TOPIC LITERAL live.paystream.results',
      'READ GROUP PREFIXED checkout-wait.',
    ]);
    const clash = AclsConfig.parse({
      upstream: [{ principal: 'User:checkout', methods: ['gopay'], waitGroupPrefix: 'ledger.wait' }],
      downstream: [{ principal: 'User:ledger', groupPrefix: 'ledger.' }],
    });
    expect(refusal(() => planAcls({ acls: clash, names, methods }))).toEqual([
      "kafka.acls: the consumer groups of User:ledger (ledger.…) and User:checkout (ledger.wait…) overlap: either could join the other's; choose another groupPrefix",
    ]);
  });

  it('refuses an upstream method this installation does not run', () => {
    const only = AclsConfig.parse({ upstream: [{ principal: 'User:checkout', methods: ['gopay', 'ovo'] }] });
    expect(refusal(() => planAcls({ acls: only, names, methods: ['gopay'] }))).toEqual([
      'kafka.acls.upstream.0.methods: ovo is not a method this installation runs (gopay)',
    ]);
  });

  it("refuses group prefixes that reach another principal's consumer groups", () => {
    const onWorker = AclsConfig.parse({ downstream: [{ principal: 'User:ledger', groupPrefix: 'live.paystream.' }] });
    expect(refusal(() => planAcls({ acls: onWorker, names, methods: ['gopay'] }))).toEqual([
      "kafka.acls: the consumer groups of the worker (live.paystream.worker.gopay) and User:ledger (live.paystream.…) overlap: either could join the other's; choose another groupPrefix",
      "kafka.acls: the consumer groups of the worker (live.paystream.worker-notifications) and User:ledger (live.paystream.…) overlap: either could join the other's; choose another groupPrefix",
    ]);
    const nested = AclsConfig.parse({
      downstream: [
        { principal: 'User:ledger', groupPrefix: 'ledger.' },
        { principal: 'User:audit', groupPrefix: 'ledger.audit.' },
      ],
    });
    expect(refusal(() => planAcls({ acls: nested, names, methods }))).toHaveLength(1);
    const stateReaders = AclsConfig.parse({ downstream: [{ principal: 'User:ledger', groupPrefix: 'paystream-st' }] });
    expect(refusal(() => planAcls({ acls: stateReaders, names, methods }))).toHaveLength(1);
  });

  it('prints one aligned line per binding under a header', () => {
    const lines = aclTable(plan.filter((b: AclBinding) => b.principal === 'User:checkout')).split('\n');
    expect(lines).toEqual([
      'PRINCIPAL      ROLE      RESOURCE  PATTERN  NAME                           OPERATION  PERMISSION',
      'User:checkout  upstream  TOPIC     LITERAL  live.paystream.commands.gopay  WRITE      ALLOW',
      'User:checkout  upstream  TOPIC     LITERAL  live.paystream.commands.gopay  DESCRIBE   ALLOW',
    ]);
  });
});

describe('kafka.acls', () => {
  const issues = (input: unknown): string[] => {
    const r = AclsConfig.safeParse(input);
    return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  };

  it('accepts User: principals only, never a wildcard', () => {
    expect(issues({ worker: 'User:paystream-worker', operator: 'User:CN=ops,O=Example Bank' })).toEqual([]);
    for (const bad of ['User:*', 'paystream-worker', 'Group:ops', 'User:', 'User: x', 'User:a\u0007b'])
      expect(issues({ worker: bad }), bad).toHaveLength(1);
  });

  it('refuses one principal in two roles, a group prefix too short to be its own, and an upstream without methods', () => {
    expect(issues({ worker: 'User:svc', upstream: [{ principal: 'User:svc', methods: ['gopay'] }] })).toEqual([
      'upstream.0.principal: User:svc already has the role worker; give each role its own principal',
    ]);
    expect(issues({ downstream: [{ principal: 'User:ledger', groupPrefix: 'l' }] })).toHaveLength(1);
    expect(issues({ downstream: [{ principal: 'User:ledger', groupPrefix: '*' }] })).toHaveLength(1);
    expect(issues({ upstream: [{ principal: 'User:checkout', methods: [] }] })).toHaveLength(1);
    expect(issues({ upstream: [{ principal: 'User:checkout', methods: ['Go Pay'] }] })).toHaveLength(1);
  });
});
