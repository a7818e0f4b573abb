// Kafka ACLs: what a principal without a permission meets, and `paystream acls apply` refused.
import type { ErrorEntry } from './entry.ts';

export const aclErrors = {
  PS_ERR_ACL_CREATE_DENIED: {
    class: 'fatal',
    exit: 73,
    message:
      'the topics {topics} do not exist, and this principal may not create them (the cluster grants it no CREATE): create them as an administrator (`paystream topics create`, which makes the compacted order-state topic too), then start again',
    meaning:
      'topics the worker needs are missing and its principal has no `CREATE` permission (least-privilege ACLs): an administrator creates them; the worker never needs `CREATE` once they exist',
  },
  PS_ERR_ACL_APPLY_REFUSED: {
    class: 'fatal',
    exit: 78,
    message:
      'the cluster refused to {action} ACLs ({reason}): run `paystream acls apply` as a super user, against brokers with an authorizer',
    meaning:
      "`paystream acls apply` was refused: the brokers have no authorizer (`SECURITY_DISABLED`), or the principal it ran as may not describe or alter the cluster's ACLs",
  },
} as const satisfies Record<string, ErrorEntry>;
