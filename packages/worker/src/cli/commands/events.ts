// `paystream events republish|reset-group`: result events delivered again to a downstream service
// that lost them — written to the results topic again byte for byte, or its consumer group moved
// back to a time. Each run, dry runs and refusals included, is written to the audit topic as a
// signed event naming who ran it (docs/operations.md, "Re-delivering result events").
import { codes, PaystreamError } from '@paystream/core';
import type { AuditTarget } from '@paystream/contracts';
import type { AuditRecord } from '@paystream/runtime';
import { UsageError, type Command } from '../args.ts';
import { groupArgument, methodOption, orderOption, rangeOption, timeOption } from '../events/options.ts';
import { newProgress, republish, type RepublishChoice, type RepublishProgress } from '../events/republish.ts';
import { applyReset, isActive, ownerOf, planReset, planTable, refuseIfActive, type ResetPlan } from '../events/reset-group.ts';
import { withEventsSession, type EventsSession } from '../events/session.ts';
import { configOptions, configUsage } from './config-flags.ts';

type Values = Record<string, string | boolean | string[] | undefined>;

const TIME_HELP = 'TIME is RFC 3339 with its offset, e.g. 2026-05-01T10:00:00+07:00 or 2026-05-01T03:00:00Z.';
const actorOptions = { actor: { type: 'string' } } as const;
const actorUsage = '[--actor NAME]';

function republishChoice(values: Values): RepublishChoice {
  const orderId = orderOption(values);
  const range = rangeOption(values);
  const method = methodOption(values);
  if (orderId === undefined && range === undefined) throw new UsageError('choose the events: --order ID, or --from TIME --to TIME');
  return { ...(orderId !== undefined ? { orderId } : {}), ...range, ...(method !== undefined ? { method } : {}) };
}

function republishTarget(choice: RepublishChoice, topic: string): AuditTarget {
  return {
    topic,
    ...(choice.orderId !== undefined ? { orderId: choice.orderId } : {}),
    ...(choice.fromMs !== undefined ? { from: new Date(choice.fromMs).toISOString() } : {}),
    ...(choice.toMs !== undefined ? { to: new Date(choice.toMs).toISOString() } : {}),
    ...(choice.method !== undefined ? { method: choice.method } : {}),
  };
}

/** A failure named by its code or class only: its message may quote what the broker or a record said. */
const failureName = (err: unknown): string =>
  PaystreamError.is(err) ? err.code : err instanceof Error && /^[A-Za-z]\w{0,63}$/.test(err.name) ? err.name : 'an error';

function spansText(p: RepublishProgress): string {
  const read = p.spans.filter((s) => s.end > s.start).map((s) => `${String(s.partition)}:${String(s.start)}-${String(s.end - 1)}`);
  return read.length > 0 ? `partition:offsets ${read.join(', ')}` : 'no records in the range';
}

function republishRecord(choice: RepublishChoice, topic: string, p: RepublishProgress, dryRun: boolean, failure?: unknown): AuditRecord {
  const skipped = [
    p.duplicates > 0 ? `; ${String(p.duplicates)} further copy(ies) of chosen events left out` : '',
    p.invalid > 0 ? `; skipped ${String(p.invalid)} record(s) that are not valid signed events` : '',
  ].join('');
  const detail =
    failure !== undefined
      ? `stopped by ${failureName(failure)} after republishing ${String(p.republished)} of the ${String(p.chosen)} event(s) chosen so far`
      : `${dryRun ? 'would republish' : 'republished'} ${String(p.chosen)} result event(s) byte for byte; read ${String(p.read)} record(s), ${spansText(p)}${skipped}`;
  return {
    action: 'events_republished',
    target: republishTarget(choice, topic),
    outcome: dryRun ? 'dry_run' : 'done',
    detail,
    count: failure !== undefined ? p.republished : p.chosen,
  };
}

function reportRepublish(values: Values, topic: string, p: RepublishProgress, dryRun: boolean): void {
  if (p.invalid > 0) console.error(`skipped ${String(p.invalid)} record(s) on ${topic} that are not valid signed events`);
  if (values['json'] === true) {
    const { read, chosen, duplicates, invalid, republished, spans } = p;
    console.log(JSON.stringify({ dryRun, topic, read, chosen, duplicates, invalid, republished, partitions: spans }, null, 2));
    return;
  }
  console.log(
    `${dryRun ? 'would republish' : 'republished'} ${String(p.chosen)} result event(s) to ${topic} (read ${String(p.read)}, ${spansText(p)})`,
  );
}

async function runRepublish(s: EventsSession, values: Values, choice: RepublishChoice): Promise<number> {
  const topic = s.names.results;
  if (!(await s.admin.listTopics()).includes(topic)) throw new UsageError(`there is no results topic ${topic}`);
  const dryRun = values['dry-run'] === true;
  const progress = newProgress();
  try {
    await republish(s.kafka, s.admin, topic, choice, s.keys, { dryRun, progress });
  } catch (err) {
    // What was written before the failure stays written: the audit says how much.
    if (progress.republished > 0) await s.audit(republishRecord(choice, topic, progress, dryRun, err));
    throw err;
  }
  await s.audit(republishRecord(choice, topic, progress, dryRun));
  reportRepublish(values, topic, progress, dryRun);
  return 0;
}

export const eventsRepublish: Command = {
  words: ['events', 'republish'],
  summary: 'publish the recorded result events of an order or a period again, byte for byte (same ids and signatures); audited',
  usage: `usage: paystream events republish (--order ID | --from TIME --to TIME) [--method M] [--dry-run] ${actorUsage} [--json] ${configUsage}\n\n${TIME_HELP} The audit names --actor, or user@host.`,
  options: {
    ...configOptions,
    ...actorOptions,
    order: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    method: { type: 'string' },
    'dry-run': { type: 'boolean' },
  },
  async run(values) {
    const choice = republishChoice(values);
    return withEventsSession(values, (s) => runRepublish(s, values, choice));
  },
};

const movesText = (plan: ResetPlan): string =>
  plan.moves
    .map((m) => `${String(m.partition)}: ${m.committed === undefined ? 'none' : String(m.committed)} -> ${String(m.to)}`)
    .join(', ');

function reportReset(values: Values, plan: ResetPlan, at: string, applied: boolean): void {
  if (!applied && isActive(plan))
    console.error(
      `the group has ${String(plan.members)} live member(s) (state ${plan.state}): --apply is refused until its consumers stop`,
    );
  if (values['json'] === true) {
    const { group, topic, state, members, moves } = plan;
    console.log(JSON.stringify({ group, topic, toTime: at, applied, state, members, partitions: moves }, null, 2));
    return;
  }
  const what = applied ? 'moved' : 'dry run: would move (run again with --apply)';
  console.log(`consumer group ${plan.group} on ${plan.topic}, to ${at}: ${what}\n${planTable(plan)}`);
}

async function runReset(s: EventsSession, values: Values, group: string, toMs: number): Promise<number> {
  const apply = values['apply'] === true;
  const topic = s.names.results;
  const target: AuditTarget = { group, topic, at: new Date(toMs).toISOString() };
  const refused = async (err: unknown): Promise<never> => {
    if (PaystreamError.is(err)) await s.audit({ action: 'group_reset', target, outcome: 'refused', detail: `${err.code}: ${err.message}` });
    throw err;
  };
  const owner = ownerOf(s.names, group);
  if (owner !== undefined) return refused(new PaystreamError(codes.PS_ERR_EVENTS_GROUP_OWN, { group, owner }));
  let plan: ResetPlan;
  try {
    plan = await planReset(s.admin, group, topic, toMs);
    if (apply) {
      refuseIfActive(plan);
      await applyReset(s.admin, plan);
    }
  } catch (err) {
    return refused(err);
  }
  const detail = `${apply ? 'moved' : 'would move'} partition offsets ${movesText(plan)}`;
  await s.audit({ action: 'group_reset', target, outcome: apply ? 'done' : 'dry_run', detail, count: plan.moves.length });
  reportReset(values, plan, target.at ?? '', apply);
  return 0;
}

export const eventsResetGroup: Command = {
  words: ['events', 'reset-group'],
  summary: "move a downstream service's consumer group on the results topic to a time: a dry run unless --apply; audited",
  usage: `usage: paystream events reset-group GROUP --to-time TIME [--apply] ${actorUsage} [--json] ${configUsage}\n\n${TIME_HELP} The group must have no live member to be moved.`,
  options: { ...configOptions, ...actorOptions, 'to-time': { type: 'string' }, apply: { type: 'boolean' } },
  async run(values, [name]) {
    const group = groupArgument(name);
    const toMs = timeOption(values, 'to-time');
    if (toMs === undefined) throw new UsageError('--to-time is required: the time the group moves to');
    return withEventsSession(values, (s) => runReset(s, values, group, toMs));
  },
};
