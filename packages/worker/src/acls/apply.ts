// Makes the cluster hold the planned ACLs: describes what each planned principal already has, creates
// only what is missing, and waits until the brokers show it, so running it twice creates nothing the
// second time. It never deletes: an ACL the plan does not name is left for its owner to remove.
import { setTimeout as sleep } from 'node:timers/promises';
import { codes, createError } from '@paystream/core';
import kafkajs, { type AclEntry, type Admin } from 'kafkajs';
import type { AclBinding } from './plan.ts';

// Node reads only kafkajs' first few CommonJS exports as named ones: these enums come through the default export.
const { AclOperationTypes, AclPermissionTypes, AclResourceTypes, ResourcePatternTypes } = kafkajs;

export type AclAdmin = Pick<Admin, 'describeAcls' | 'createAcls'>;

export interface AclApplication {
  /** The bindings created now (with a dry run: that would be created). */
  readonly created: readonly AclBinding[];
  /** The bindings the cluster already held. */
  readonly present: readonly AclBinding[];
}

export interface ApplyOptions {
  readonly dryRun?: boolean;
  /** How long to wait for the brokers to show what was created (ms). */
  readonly settleMs?: number;
}

/** The kafkajs form of a binding; the host is always "*": principals are authenticated, not addresses. */
export function aclEntry(b: AclBinding): AclEntry {
  return {
    principal: b.principal,
    host: '*',
    resourceType: AclResourceTypes[b.resourceType],
    resourceName: b.name,
    resourcePatternType: ResourcePatternTypes[b.patternType],
    operation: AclOperationTypes[b.operation],
    permissionType: AclPermissionTypes[b.permission],
  };
}

const entryKey = (e: AclEntry): string =>
  [e.principal, e.host, e.resourceType, e.resourcePatternType, e.resourceName, e.operation, e.permissionType].join('\u0000');

/** A broker's refusal (no authorizer, no permission) as the catalogue's error; anything else passes. */
async function refusedAs<T>(action: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    const type = (err as { type?: unknown } | null)?.type;
    if (typeof type === 'string') throw createError(codes.PS_ERR_ACL_APPLY_REFUSED, { action, reason: type }, { cause: err });
    throw err;
  }
}

/** The keys of the ACLs the cluster holds for these principals, with host "*". */
async function held(admin: AclAdmin, principals: readonly string[]): Promise<Set<string>> {
  const keys = new Set<string>();
  for (const principal of principals) {
    const { resources } = await refusedAs('describe', () =>
      admin.describeAcls({
        resourceType: AclResourceTypes.ANY,
        resourcePatternType: ResourcePatternTypes.ANY,
        principal,
        host: '*',
        operation: AclOperationTypes.ANY,
        permissionType: AclPermissionTypes.ANY,
      }),
    );
    for (const r of resources) for (const acl of r.acls) keys.add(entryKey({ ...r, ...acl }));
  }
  return keys;
}

/** Creates the planned bindings the cluster lacks; with `dryRun`, only says which those are. */
export async function applyAcls(admin: AclAdmin, bindings: readonly AclBinding[], options: ApplyOptions = {}): Promise<AclApplication> {
  const principals = [...new Set(bindings.map((b) => b.principal))];
  const before = await held(admin, principals);
  const created = bindings.filter((b) => !before.has(entryKey(aclEntry(b))));
  const present = bindings.filter((b) => before.has(entryKey(aclEntry(b))));
  if (options.dryRun === true || created.length === 0) return { created, present };
  await refusedAs('create', () => admin.createAcls({ acl: created.map(aclEntry) }));
  // The controller has them; the broker answering may show them a moment later.
  const deadline = Date.now() + (options.settleMs ?? 10_000);
  while (Date.now() < deadline) {
    const now = await held(admin, principals);
    if (created.every((b) => now.has(entryKey(aclEntry(b))))) break;
    await sleep(100);
  }
  return { created, present };
}
