// `applyAcls` against an in-memory ACL store that filters as the broker's DescribeAcls does: it
// creates exactly the planned bindings that are missing, nothing on a second run or a dry run, and
// turns a broker's refusal into the catalogue's error. `requireCreate` names the missing topics.
import { topology } from '@paystream/runtime';
import type { AclEntry, AclFilter, DescribeAclResponse } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { aclEntry, applyAcls, type AclAdmin } from './apply.ts';
import { AclsConfig } from './config.ts';
import { requireCreate } from './create-permission.ts';
import { planAcls, type AclBinding } from './plan.ts';

const plan = planAcls({
  acls: AclsConfig.parse({
    worker: 'User:paystream-worker',
    upstream: [{ principal: 'User:checkout', methods: ['gopay'] }],
    downstream: [{ principal: 'User:ledger', groupPrefix: 'ledger.' }],
  }),
  names: topology('t.'),
  methods: ['gopay', 'qris'],
});

function fakeCluster(initial: AclEntry[] = []): AclAdmin & { acls: AclEntry[]; creates: number } {
  const cluster = {
    acls: [...initial],
    creates: 0,
    describeAcls(filter: AclFilter): Promise<DescribeAclResponse> {
      const found = cluster.acls.filter((a) => a.principal === filter.principal && a.host === filter.host);
      return Promise.resolve({
        throttleTime: 0,
        errorCode: 0,
        resources: found.map(({ principal, host, operation, permissionType, ...resource }) => ({
          ...resource,
          acls: [{ principal, host, operation, permissionType }],
        })),
      });
    },
    createAcls({ acl }: { acl: AclEntry[] }): Promise<boolean> {
      cluster.creates++;
      cluster.acls.push(...acl);
      return Promise.resolve(true);
    },
  };
  return cluster;
}

describe('applyAcls', () => {
  it('creates every planned binding once, and nothing the second time', async () => {
    const cluster = fakeCluster();
    const first = await applyAcls(cluster, plan);
    expect([first.created.length, first.present.length]).toEqual([plan.length, 0]);
    expect(cluster.acls).toEqual(plan.map(aclEntry));
    const second = await applyAcls(cluster, plan);
    expect([second.created.length, second.present.length, cluster.creates]).toEqual([0, plan.length, 1]);
  });

  it('creates only what is missing, leaves other ACLs alone, and a dry run creates nothing', async () => {
    const foreign: AclEntry = { ...aclEntry(plan[0] as AclBinding), resourceName: 'someone.elses.topic' };
    const cluster = fakeCluster([foreign, ...plan.slice(0, 3).map(aclEntry)]);
    const dry = await applyAcls(cluster, plan, { dryRun: true });
    expect([dry.created.length, dry.present.length, cluster.creates]).toEqual([plan.length - 3, 3, 0]);
    const done = await applyAcls(cluster, plan);
    expect(done.created).toEqual(plan.slice(3));
    expect(cluster.acls).toContainEqual(foreign);
  });

  it("reports the broker's refusal with the catalogue's code", async () => {
    const refusing: AclAdmin = {
      describeAcls: () => Promise.reject(Object.assign(new Error('Security features are disabled'), { type: 'SECURITY_DISABLED' })),
      createAcls: () => Promise.resolve(true),
    };
    await expect(applyAcls(refusing, plan)).rejects.toMatchObject({
      code: 'PS_ERR_ACL_APPLY_REFUSED',
      message: expect.stringContaining('refused to describe ACLs (SECURITY_DISABLED)') as unknown,
    });
  });
});

describe('requireCreate', () => {
  const refusal = (type: string) => ({
    createTopics: () => Promise.reject(Object.assign(new Error('refused'), { errors: [{ type }] })),
  });

  it('names every missing topic when the principal may not create them', async () => {
    await expect(
      requireCreate(refusal('TOPIC_AUTHORIZATION_FAILED'), ['t.paystream.results', 't.paystream.orders.state']),
    ).rejects.toMatchObject({
      code: 'PS_ERR_ACL_CREATE_DENIED',
      message: expect.stringContaining('the topics t.paystream.results, t.paystream.orders.state do not exist') as unknown,
    });
  });

  it('asks nothing when nothing is missing, and leaves other failures to the creation itself', async () => {
    await expect(requireCreate({ createTopics: () => Promise.reject(new Error('never asked')) }, [])).resolves.toBeUndefined();
    await expect(requireCreate(refusal('TOPIC_ALREADY_EXISTS'), ['t.paystream.results'])).resolves.toBeUndefined();
  });
});
