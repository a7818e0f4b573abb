// Re-delivering result events: what `paystream events republish` and `events reset-group` refuse.
import type { ErrorEntry } from './entry.ts';

export const eventErrors = {
  PS_ERR_EVENTS_AUDIT_TOPIC_MISSING: {
    class: 'fatal',
    exit: 78,
    message:
      'the audit topic {topic} does not exist, and every operator action is audited: create it as an administrator (`paystream topics create`), then run the command again; nothing was done',
    meaning:
      'an operator command that must write an audit event found no audit topic: it does nothing rather than act unaudited; `paystream topics create` makes the topic',
  },
  PS_ERR_EVENTS_GROUP_OWN: {
    class: 'invalid',
    exit: 77,
    message: "{group} is one of Paystream's own consumer groups ({owner}): reset-group moves only the groups of downstream services",
    meaning:
      "`events reset-group` was asked to move a group of the worker, its state or notification readers, or the operator's readers: Paystream keeps those itself, and moving them would replay or skip commands",
  },
  PS_ERR_EVENTS_GROUP_ACTIVE: {
    class: 'retriable',
    exit: 75,
    message:
      'the consumer group {group} has {members} live member(s) (state {state}): stop its consumers, wait until the group is empty, then run reset-group --apply again',
    meaning:
      "`events reset-group --apply` found consumers in the group: Kafka moves a group's offsets only while no member holds its partitions, so the downstream service stops first",
  },
  PS_ERR_EVENTS_GROUP_UNKNOWN: {
    class: 'invalid',
    exit: 65,
    message: 'the consumer group {group} has committed no offset on {topic}: check its name (reset-group never creates a group)',
    meaning:
      '`events reset-group` was given a group that has never read the results topic: most often a misspelt name; a group is reset only once its consumers have committed',
  },
} as const satisfies Record<string, ErrorEntry>;
