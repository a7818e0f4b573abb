// `kafka.acls`: the principals `paystream acls plan|apply` grant least-privilege ACLs to, one role
// each. Kafka names a SCRAM or OAUTHBEARER user `User:<name>`; a wildcard principal is never accepted.
import { z } from 'zod';

const principal = z
  .string()
  .regex(/^User:[^\s*](?:[^*\p{Cc}]*[^\s*])?$/u, 'a principal is User:<name>, without "*", control characters or edge spaces');
const method = z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'methods are plugin names, kebab-case');
// A group prefix of a character or two would take in other services' groups; Kafka's group name characters only.
const groupPrefix = z.string().regex(/^[A-Za-z0-9._-]{3,}$/, 'a group prefix is at least 3 letters, digits, ".", "_" or "-"');

export const AclsConfig = z
  .strictObject({
    /** The worker's principal: reads its command topics, writes results, order state and DLQs. */
    worker: principal.optional(),
    /**
     * Services that publish commands, each only for the methods it is allowed; with `waitGroupPrefix`,
     * one that waits for its commands' results (@paystream/client's `wait`) also reads the results in
     * consumer groups under that prefix.
     */
    upstream: z.array(z.strictObject({ principal, methods: z.array(method).min(1), waitGroupPrefix: groupPrefix.optional() })).default([]),
    /** Services that read the results, each in consumer groups under its own prefix. */
    downstream: z.array(z.strictObject({ principal, groupPrefix })).default([]),
    /** Whoever runs `dlq inspect`, `dlq replay`, `events republish` and `events reset-group`. */
    operator: principal.optional(),
  })
  .superRefine((acls, ctx) => {
    const seen = new Map<string, string>();
    const roles: [(string | number)[], string | undefined][] = [
      [['worker'], acls.worker],
      ...acls.upstream.map((u, i): [(string | number)[], string] => [['upstream', i, 'principal'], u.principal]),
      ...acls.downstream.map((d, i): [(string | number)[], string] => [['downstream', i, 'principal'], d.principal]),
      [['operator'], acls.operator],
    ];
    for (const [path, name] of roles) {
      if (name === undefined) continue;
      const role = path.slice(0, 2).join('.');
      const first = seen.get(name);
      // One role per principal: a shared one would hold the union of both roles' permissions.
      if (first) ctx.addIssue({ code: 'custom', path, message: `${name} already has the role ${first}; give each role its own principal` });
      else seen.set(name, role);
    }
  })
  .prefault({});
export type AclsConfig = z.infer<typeof AclsConfig>;
