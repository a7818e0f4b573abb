// `paystream reconcile`: settlement reconciliation. What Midtrans reports for a period (BI-SNAP's
// Transaction History; the Core API status for the methods it does not report) against what
// Paystream told downstream on the results topic — each result verified with the worker's own keys
// first — and every difference classified (reconcile/classify.ts). Exit 0 when the two agree, 1 when
// they do not or a result failed verification (docs/reconciliation.md).
import type { Kafka } from 'kafkajs';
import type { PublishedKey } from '@paystream/contracts';
import { TransactionHistory, type CoreServices } from '@paystream/core';
import { PAYMENT_METHOD_PLUGIN } from '@paystream/plugin-sdk';
import { topology } from '@paystream/runtime';
import { coreConfigOf, loadWorkerConfig, type WorkerConfig } from '../../config/worker-config.ts';
import { selectPlugins } from '../../worker.ts';
import { required, UsageError, type Command } from '../args.ts';
import { openCommandCore } from '../command-core.ts';
import { classify, unlisted } from '../reconcile/classify.ts';
import type { PaystreamOrder } from '../reconcile/differences.ts';
import { writeMetricsFile } from '../reconcile/metrics-file.ts';
import { listPeriod, lookUp } from '../reconcile/midtrans-side.ts';
import { foldOrders } from '../reconcile/orders.ts';
import { countsOf, FORMATS, render, type Format, type Report } from '../reconcile/output.ts';
import { DEFAULT_MARGIN, spanOf, type Span } from '../reconcile/period.ts';
import { readResults, type ResultsRead } from '../reconcile/results-reader.ts';
import { configFlags, configOptions, configUsage } from './config-flags.ts';
import { cliKafka } from './worker.ts';

type Values = Record<string, string | boolean | string[] | undefined>;

const text = (values: Values, name: string): string | undefined => (typeof values[name] === 'string' ? values[name] : undefined);

function formatOf(values: Values): Format {
  const format = text(values, 'format') ?? (values['json'] === true ? 'json' : 'table');
  if (!(FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format is one of ${FORMATS.join(', ')}`);
  return format as Format;
}

function methodOf(values: Values, config: Readonly<WorkerConfig>): { method?: string; isCore: (m: string) => boolean } {
  const plugins = selectPlugins(config.plugins).getAll(PAYMENT_METHOD_PLUGIN);
  const core = new Set(plugins.filter((p) => p.api === 'core').map((p) => p.method));
  const method = text(values, 'method');
  if (method !== undefined && !plugins.some((p) => p.method === method))
    throw new UsageError(`--method is a method this install runs (${plugins.map((p) => p.method).join(', ')})`);
  return { ...(method === undefined ? {} : { method }), isCore: (m) => core.has(m) };
}

/** What Paystream published in the span, each record verified with the worker's own event keys. */
async function paystreamSide(kafka: Kafka, topic: string, span: Span, keys: readonly PublishedKey[]): Promise<ResultsRead> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return await readResults(kafka, admin, topic, span.results, keys);
  } finally {
    await admin.disconnect();
  }
}

interface Run {
  readonly span: Span;
  readonly merchant: string;
  readonly method?: string;
  readonly isCore: (method: string) => boolean;
}

/** Both sides of the run's period, and every difference between them. */
async function reconcile(core: CoreServices, kafka: Kafka, topic: string, run: Run) {
  const { span, merchant, method } = run;
  const results = await paystreamSide(kafka, topic, span, core.eventSigner.publicKeys());
  const belongs = (o: PaystreamOrder): boolean => (o.merchant ?? core.config.defaultMerchant) === merchant;
  const orders = foldOrders(results.payments).filter(belongs);
  const history = new TransactionHistory(core.client, { merchant });
  const listed = await listPeriod(history, span.period.fromMs, span.period.toMs);
  const ofMethod = method === undefined ? orders : orders.filter((o) => o.method === method);
  const looked = await lookUp({ api: core.client, history, isCore: run.isCore, merchant }, unlisted(span.period, ofMethod, listed));
  const differences = classify({ period: span.period, midtrans: [...listed, ...looked], orders, ...(method ? { method } : {}) });
  return { results, differences, read: { midtrans: listed.length + looked.length, paystream: orders.length } };
}

function reportOf(run: Run, found: Awaited<ReturnType<typeof reconcile>>): Report {
  const iso = (ms: number): string => new Date(ms).toISOString();
  return {
    period: { from: iso(run.span.period.fromMs), to: iso(run.span.period.toMs) },
    resultsRead: { from: iso(run.span.results.fromMs), to: iso(run.span.results.toMs), records: found.results.records },
    merchant: run.merchant,
    ...(run.method ? { method: run.method } : {}),
    read: found.read,
    counts: countsOf(found.differences),
    differences: found.differences,
    unverifiable: found.results.unverifiable,
  };
}

export const reconcileCommand: Command = {
  words: ['reconcile'],
  summary: "compare a period's Midtrans transactions with the results Paystream published, and classify every difference",
  usage: `usage: paystream reconcile --from TIME --to TIME [--method M] [--merchant NAME] [--margin ${DEFAULT_MARGIN}] [--format table|json|csv] [--metrics-file FILE] ${configUsage}\n\nTIME is RFC 3339 with its zone (2026-03-01T00:00:00+07:00); the period is [--from, --to). Results are read until --to + --margin. Exit 0: no differences; 1: differences, or result events that failed verification. See docs/reconciliation.md.`,
  options: {
    ...configOptions,
    from: { type: 'string' },
    to: { type: 'string' },
    method: { type: 'string' },
    merchant: { type: 'string' },
    margin: { type: 'string' },
    format: { type: 'string' },
    'metrics-file': { type: 'string' },
  },
  async run(values) {
    const format = formatOf(values);
    const span = spanOf(required(values, 'from'), required(values, 'to'), text(values, 'margin') ?? DEFAULT_MARGIN, Date.now());
    const { config } = loadWorkerConfig(configFlags(values));
    const core = await openCommandCore(coreConfigOf(config));
    try {
      const merchant = text(values, 'merchant') ?? core.config.defaultMerchant;
      if (!core.keyRing.merchantNames().includes(merchant)) throw new UsageError('--merchant names no configured merchant');
      const run: Run = { span, merchant, ...methodOf(values, config) };
      const found = await reconcile(core, cliKafka(config), topology(config.kafka.topicPrefix).results, run);
      const report = reportOf(run, found);
      console.log(render(report, format));
      if (format === 'csv' && report.unverifiable.length > 0)
        console.error(`${String(report.unverifiable.length)} result record(s) failed verification and were not used`);
      const metricsFile = text(values, 'metrics-file');
      if (metricsFile)
        writeMetricsFile(metricsFile, { counts: report.counts, unverifiable: report.unverifiable.length, finishedAtMs: Date.now() });
      return report.differences.length > 0 || report.unverifiable.length > 0 ? 1 : 0;
    } finally {
      await core.close();
    }
  },
};
