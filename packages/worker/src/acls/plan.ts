// The least-privilege ACLs of each role, planned from the configuration alone. Topic names come from
// the topology, so they follow `kafka.topicPrefix`; each topic is LITERAL, because a PREFIXED
// `paystream.commands.gopay` would also cover `paystream.commands.gopay.dlq` and any `gopay-…` method.
// Only consumer groups whose names end in a per-process suffix are PREFIXED. Nothing is ALL, a
// wildcard or a DENY, and no role gets CREATE, ALTER or a cluster permission: since Kafka 2.8 an
// idempotent producer needs only WRITE on a topic (KAFKA-10619), not IDEMPOTENT_WRITE on the cluster.
import { ConfigError } from '@paystream/core';
import { STATE_READER_GROUP_PREFIX, TOPIC_READER_GROUP_PREFIX, type Topology } from '@paystream/runtime';
import { DLQ_READER_GROUP_PREFIX } from '../cli/dlq/dlq-records.ts';
import type { AclsConfig } from './config.ts';

export type AclRole = 'worker' | 'upstream' | 'downstream' | 'operator';
export type AclOperation = 'READ' | 'WRITE' | 'DESCRIBE';

export interface AclBinding {
  readonly principal: string;
  readonly resourceType: 'TOPIC' | 'GROUP';
  readonly patternType: 'LITERAL' | 'PREFIXED';
  readonly name: string;
  readonly operation: AclOperation;
  readonly permission: 'ALLOW';
  /** Why the principal has it; not part of the ACL itself. */
  readonly role: AclRole;
}

export interface AclPlanInput {
  readonly acls: AclsConfig;
  readonly names: Topology;
  /** The methods this installation runs: the only command and DLQ topics there are. */
  readonly methods: readonly string[];
}

type Resource = Pick<AclBinding, 'resourceType' | 'patternType' | 'name'>;

const topic = (name: string): Resource => ({ resourceType: 'TOPIC', patternType: 'LITERAL', name });
const group = (name: string, patternType: AclBinding['patternType'] = 'LITERAL'): Resource => ({
  resourceType: 'GROUP',
  patternType,
  name,
});

function grants(principal: string, role: AclRole, resources: readonly Resource[], operations: readonly AclOperation[]): AclBinding[] {
  return resources.flatMap((r) => operations.map((operation) => ({ principal, ...r, operation, permission: 'ALLOW' as const, role })));
}

function workerBindings(principal: string, { names, methods }: AclPlanInput): AclBinding[] {
  return [
    ...grants(
      principal,
      'worker',
      methods.map((m) => topic(names.commands(m))),
      ['READ', 'DESCRIBE'],
    ),
    ...grants(
      principal,
      'worker',
      methods.map((m) => group(names.group(m))),
      ['READ'],
    ),
    ...grants(principal, 'worker', [topic(names.results), ...methods.map((m) => topic(names.dlq(m)))], ['WRITE', 'DESCRIBE']),
    // The worker writes the order state and follows it, in a fresh group per process.
    ...grants(principal, 'worker', [topic(names.orderState)], ['READ', 'WRITE', 'DESCRIBE']),
    ...grants(principal, 'worker', [group(STATE_READER_GROUP_PREFIX, 'PREFIXED')], ['READ']),
    // Notifications one worker received for an order another owns (handed over, then confirmed by the owner).
    ...grants(principal, 'worker', [topic(names.notifications)], ['READ', 'WRITE', 'DESCRIBE']),
    ...grants(principal, 'worker', [group(names.notificationsGroup)], ['READ']),
  ];
}

function upstreamBindings(input: AclPlanInput): AclBinding[] {
  const installed = new Set(input.methods);
  const issues = input.acls.upstream.flatMap((u, i) =>
    u.methods
      .filter((m) => !installed.has(m))
      .map((m) => `kafka.acls.upstream.${String(i)}.methods: ${m} is not a method this installation runs (${input.methods.join(', ')})`),
  );
  if (issues.length > 0) throw new ConfigError(issues);
  return input.acls.upstream.flatMap((u) => [
    ...grants(
      u.principal,
      'upstream',
      [...new Set(u.methods)].map((m) => topic(input.names.commands(m))),
      ['WRITE', 'DESCRIBE'],
    ),
    // Waiting for a result reads the results topic in a fresh group of its own each time.
    ...(u.waitGroupPrefix === undefined
      ? []
      : [
          ...grants(u.principal, 'upstream', [topic(input.names.results)], ['READ', 'DESCRIBE']),
          ...grants(u.principal, 'upstream', [group(u.waitGroupPrefix, 'PREFIXED')], ['READ']),
        ]),
  ]);
}

function operatorBindings(principal: string, { acls, names, methods }: AclPlanInput): AclBinding[] {
  return [
    ...grants(
      principal,
      'operator',
      methods.map((m) => topic(names.dlq(m))),
      ['READ', 'DESCRIBE'],
    ),
    ...grants(principal, 'operator', [group(DLQ_READER_GROUP_PREFIX, 'PREFIXED')], ['READ']),
    // `dlq replay` sends a record back to its method's command topic.
    ...grants(
      principal,
      'operator',
      methods.map((m) => topic(names.commands(m))),
      ['WRITE', 'DESCRIBE'],
    ),
    // `events republish` reads the results, in a fresh reader group each time, and writes them again.
    ...grants(principal, 'operator', [topic(names.results)], ['READ', 'WRITE', 'DESCRIBE']),
    ...grants(principal, 'operator', [group(TOPIC_READER_GROUP_PREFIX, 'PREFIXED')], ['READ']),
    // Every `events` command writes what it did, and who did it, to the audit topic.
    ...grants(principal, 'operator', [topic(names.audit)], ['WRITE', 'DESCRIBE']),
    // `events reset-group` reads and commits the offsets of a downstream service's groups, and no other.
    ...grants(
      principal,
      'operator',
      acls.downstream.map((d) => group(d.groupPrefix, 'PREFIXED')),
      ['READ', 'DESCRIBE'],
    ),
  ];
}

const shown = (r: Resource): string => (r.patternType === 'PREFIXED' ? `${r.name}…` : r.name);

/** Whether a consumer group name could fall under both resources. */
function overlaps(a: Resource, b: Resource): boolean {
  return (
    a.name === b.name ||
    (a.patternType === 'PREFIXED' && b.name.startsWith(a.name)) ||
    (b.patternType === 'PREFIXED' && a.name.startsWith(b.name))
  );
}

/** The consumer groups of the installation, of each downstream service and of each upstream that waits, whether or not their roles are configured. */
function groupOwners({ acls, names, methods }: AclPlanInput): { owner: string; group: Resource }[] {
  return [
    ...methods.map((m) => ({ owner: 'the worker', group: group(names.group(m)) })),
    { owner: 'the worker', group: group(STATE_READER_GROUP_PREFIX, 'PREFIXED') },
    { owner: 'the worker', group: group(names.notificationsGroup) },
    { owner: 'the operator', group: group(DLQ_READER_GROUP_PREFIX, 'PREFIXED') },
    { owner: 'the operator', group: group(TOPIC_READER_GROUP_PREFIX, 'PREFIXED') },
    ...acls.downstream.map((d) => ({ owner: d.principal, group: group(d.groupPrefix, 'PREFIXED') })),
    ...acls.upstream.flatMap((u) =>
      u.waitGroupPrefix === undefined ? [] : [{ owner: u.principal, group: group(u.waitGroupPrefix, 'PREFIXED') }],
    ),
  ];
}

/**
 * A principal that may READ another one's consumer group can join it and be assigned its
 * partitions, stalling them: the groups of different owners must not overlap.
 */
function refuseSharedGroups(input: AclPlanInput): void {
  const owners = groupOwners(input);
  const issues = new Set<string>();
  for (const [i, a] of owners.entries())
    for (const b of owners.slice(i + 1))
      if (a.owner !== b.owner && overlaps(a.group, b.group))
        issues.add(
          `kafka.acls: the consumer groups of ${a.owner} (${shown(a.group)}) and ${b.owner} (${shown(b.group)}) overlap: either could join the other's; choose another groupPrefix`,
        );
  if (issues.size > 0) throw new ConfigError([...issues]);
}

/** Every ACL binding the configured roles need, in role order; throws a ConfigError for a method or group prefix that cannot be granted. */
export function planAcls(input: AclPlanInput): AclBinding[] {
  const { acls, names } = input;
  refuseSharedGroups(input);
  return [
    ...(acls.worker ? workerBindings(acls.worker, input) : []),
    ...upstreamBindings(input),
    ...acls.downstream.flatMap((d) => [
      ...grants(d.principal, 'downstream', [topic(names.results)], ['READ', 'DESCRIBE']),
      ...grants(d.principal, 'downstream', [group(d.groupPrefix, 'PREFIXED')], ['READ']),
    ]),
    ...(acls.operator ? operatorBindings(acls.operator, input) : []),
  ];
}

/** What identifies an ACL on the cluster (the role is only the plan's note); the host is always "*". */
export function bindingKey(b: Omit<AclBinding, 'role'>): string {
  return [b.principal, b.resourceType, b.patternType, b.name, b.operation, b.permission].join('\u0000');
}
