// `paystream acls plan|apply`: the least-privilege ACLs of the roles named in `kafka.acls` (the
// worker, upstream and downstream services, the operator). Plan prints them from the configuration
// alone; apply creates, as an administrator, those the cluster lacks. See docs/kafka.md.
import { PAYMENT_METHOD_PLUGIN } from '@paystream/plugin-sdk';
import { topology } from '@paystream/runtime';
import { applyAcls } from '../../acls/apply.ts';
import { planAcls, type AclBinding } from '../../acls/plan.ts';
import { aclTable } from '../../acls/table.ts';
import { loadWorkerConfig, type WorkerConfig } from '../../config/worker-config.ts';
import { selectPlugins } from '../../worker.ts';
import type { Command } from '../args.ts';
import { configFlags, configOptions, configUsage } from './config-flags.ts';
import { cliKafka } from './worker.ts';

type Values = Record<string, string | boolean | string[] | undefined>;

const NOTHING = 'kafka.acls names no principal: nothing to grant (see docs/kafka.md, "Least-privilege ACLs")';

/** The bindings `kafka.acls` asks for, over this installation's methods and topic names. */
export function plannedAcls(config: Readonly<WorkerConfig>): AclBinding[] {
  const methods = selectPlugins(config.plugins)
    .getAll(PAYMENT_METHOD_PLUGIN)
    .map((p) => p.method);
  return planAcls({ acls: config.kafka.acls, names: topology(config.kafka.topicPrefix), methods });
}

function plan(values: Values): { config: Readonly<WorkerConfig>; bindings: AclBinding[] } {
  const { config } = loadWorkerConfig(configFlags(values));
  return { config, bindings: plannedAcls(config) };
}

export const aclsPlan: Command = {
  words: ['acls', 'plan'],
  summary: 'print the least-privilege Kafka ACLs of the worker, upstream and downstream services and the operator (kafka.acls)',
  usage: `usage: paystream acls plan [--json] ${configUsage}`,
  options: configOptions,
  run(values) {
    const { bindings } = plan(values);
    if (values['json'] === true) console.log(JSON.stringify({ bindings }, null, 2));
    else console.log(bindings.length > 0 ? aclTable(bindings) : NOTHING);
    return 0;
  },
};

export const aclsApply: Command = {
  words: ['acls', 'apply'],
  summary: 'create the planned ACLs the cluster lacks (run as a Kafka super user); --dry-run only lists them',
  usage: `usage: paystream acls apply [--dry-run] [--json] ${configUsage}`,
  options: { ...configOptions, 'dry-run': { type: 'boolean' } },
  async run(values) {
    const { config, bindings } = plan(values);
    if (bindings.length === 0) {
      console.log(values['json'] === true ? JSON.stringify({ created: [], present: [] }) : NOTHING);
      return 0;
    }
    const dryRun = values['dry-run'] === true;
    // As the configuration's principal (kafka.sasl or the client certificate), which must be a super user.
    const admin = cliKafka(config).admin();
    await admin.connect();
    try {
      const { created, present } = await applyAcls(admin, bindings, { dryRun });
      if (values['json'] === true) console.log(JSON.stringify({ dryRun, created, present }, null, 2));
      else {
        console.log(`${dryRun ? 'would create' : 'created'} ${String(created.length)} ACL(s); ${String(present.length)} already present`);
        if (created.length > 0) console.log(aclTable(created));
      }
      return 0;
    } finally {
      await admin.disconnect();
    }
  },
};
