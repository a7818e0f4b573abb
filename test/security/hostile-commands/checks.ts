// The run's outputs gathered for the final checks: every result and DLQ record (and each DLQ
// payload as the operator decrypts it), every line the worker wrote and its /metrics — scanned for
// cards and secrets; and the metric labels, which must come from closed sets.
import { CARDS, type HostileCase } from './cases.ts';
import { leaks, runSecrets, type Source } from './leaks.ts';
import { applicationSeries, type Series } from './metrics.ts';
import { CORE_API_METHOD, METHOD, type HostileRun } from './run.ts';
import type { Sent, ValidCharge } from './sent.ts';
import { recordText } from './tap.ts';

export const isPaid = (run: HostileRun, c: ValidCharge): boolean =>
  run.system.results.paymentEvent(c.command.orderId, 'paystream.payment.succeeded') !== undefined;

export function leakSources(run: HostileRun, sent: Sent, metrics: string): Source[] {
  const tapped = run.tap.records.map((r) => ({ where: `${r.topic}@${String(r.partition)}/${r.offset}`, text: recordText(r) }));
  const payloads = sent
    .dlq()
    .flatMap((e) => [
      { where: `DLQ key of @${e.offset ?? '?'}`, text: e.tapped.key?.toString('utf8') ?? '', masked: true },
      ...(e.payload === undefined ? [] : [{ where: `decrypted DLQ payload of @${e.offset ?? '?'}`, text: e.payload, masked: true }]),
    ]);
  const logs = run.system.workerLogs().map((l) => ({ where: `${l.file}:${String(l.line)}`, text: l.text }));
  return [...tapped, ...payloads, ...logs, { where: '/metrics', text: metrics }];
}

/** Metric series that appeared or went away between two scrapes. */
export function seriesProblems(before: readonly Series[], after: readonly Series[]): string[] {
  const had = new Set(before.map((s) => s.id));
  const has = new Set(after.map((s) => s.id));
  return [
    ...[...has].filter((id) => !had.has(id)).map((id) => `new series ${id.slice(0, 200)}`),
    ...[...had].filter((id) => !has.has(id)).map((id) => `series gone ${id.slice(0, 200)}`),
  ];
}

const METHODS = new Set([METHOD, CORE_API_METHOD, 'unknown']);

/** Label values an attacker chose: the method beyond the plugin's or `unknown`, order ids, long or unprintable text. */
export function labelProblems(metrics: string, stem: string): string[] {
  return applicationSeries(metrics).flatMap((s) =>
    Object.entries(s.labels).flatMap(([label, value]) => {
      const where = `${s.name} ${label}=${JSON.stringify(value.slice(0, 60))}${value.length > 60 ? `… (${String(value.length)} characters)` : ''}`;
      if (label === 'method' && !METHODS.has(value)) return [`${where}: not a plugin's method or "unknown"`];
      if (value.includes(stem)) return [`${where}: holds an order id`];
      if (value.length > 64 || !/^[\x20-\x7e]*$/.test(value)) return [`${where}: long or unprintable`];
      return [];
    }),
  );
}

export interface Scan {
  readonly findings: string[];
  readonly labels: string[];
  /** Why the scan could have missed something: a card it does not see where it was sent, a secret it cannot find. */
  readonly blind: string[];
}

export function scanAll(
  run: HostileRun,
  sent: Sent,
  sources: readonly Source[],
  accessTokens: ReadonlySet<string>,
  metrics: string,
  stem: string,
): Scan {
  const carriers = [...sent.hostile.values()].filter((c) => c.code === 'PS_ERR_COMMAND_CARD_DATA');
  const randomCards = carriers.flatMap((c) => (c.card ? [c.card] : []));
  const secrets = runSecrets(run.system, accessTokens);
  const sentText = (c: HostileCase): string =>
    [c.key?.toString() ?? '', c.value?.toString() ?? '', JSON.stringify(c.headers ?? {})].join('\n');
  const blind = [
    ...carriers
      .filter((c) => leaks([{ where: c.name, text: sentText(c) }], {}, CARDS, randomCards).length === 0)
      .map((c) => `card not seen in "${c.name}" as sent`),
    ...Object.entries(secrets.values ?? {})
      .filter(([, value]) => leaks([{ where: '', text: ` ${value} ` }], secrets, [], []).length === 0)
      .map(([name]) => `${name} not found where planted`),
    ...(accessTokens.size === 0 ? ['no access token was recorded'] : []),
    ...(run.system.workerLogs().some((l) => l.text.includes('PS_ERR_COMMAND_CARD_DATA')) ? [] : ['the worker logged no card refusal']),
  ];
  return { findings: leaks(sources, secrets, CARDS, randomCards), labels: labelProblems(metrics, stem), blind };
}
