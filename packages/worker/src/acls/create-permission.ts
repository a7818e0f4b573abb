// A worker under least-privilege ACLs has no CREATE. When topics it needs are missing, it asks the
// broker first (a validate-only CreateTopics creates nothing) and, if refused, says which topics an
// administrator must create — instead of failing later on one of them with a bare authorization error.
import { codes, createError } from '@paystream/core';
import type { Admin } from 'kafkajs';

const DENIED = new Set(['TOPIC_AUTHORIZATION_FAILED', 'CLUSTER_AUTHORIZATION_FAILED']);

const typeOf = (err: unknown): string => String((err as { type?: unknown } | null)?.type);

/** kafkajs reports a refused CreateTopics as one error per topic, gathered in `errors`. */
function denied(err: unknown): boolean {
  const errors = (err as { errors?: unknown } | null)?.errors;
  return DENIED.has(typeOf(err)) || (Array.isArray(errors) && errors.some((e) => DENIED.has(typeOf(e))));
}

/** Throws the catalogue's create-denied error, naming `missing`, when this principal may not create them. */
export async function requireCreate(admin: Pick<Admin, 'createTopics'>, missing: readonly string[]): Promise<void> {
  if (missing.length === 0) return;
  try {
    await admin.createTopics({
      validateOnly: true,
      waitForLeaders: false,
      topics: missing.map((topic) => ({ topic, numPartitions: 1, replicationFactor: 1 })),
    });
  } catch (err) {
    if (denied(err)) throw createError(codes.PS_ERR_ACL_CREATE_DENIED, { topics: missing.join(', ') }, { cause: err });
    // Anything else (a topic created meanwhile, a setting the cluster rejects) is met, and reported, when creating.
  }
}
