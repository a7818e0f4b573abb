// What every part of the worker is built from: its settings, core's services, the chosen plugins
// (resolved from their container), the topic names and the metrics every part reports to.
import type { CoreServices, Logger } from '@paystream/core';
import type { PaymentMethodPlugin } from '@paystream/plugin-sdk';
import { topology, WorkerMetrics, type Topology } from '@paystream/runtime';
import type { WorkerSettings } from './config/worker-options.ts';
import { resolvePlugins } from './plugin-container.ts';

export interface Foundation {
  readonly settings: WorkerSettings;
  readonly core: CoreServices;
  readonly log: Logger;
  readonly plugins: readonly PaymentMethodPlugin[];
  readonly byMethod: ReadonlyMap<string, PaymentMethodPlugin>;
  readonly names: Topology;
  readonly metrics: WorkerMetrics;
}

export function foundation(settings: WorkerSettings, core: CoreServices): Foundation {
  const plugins = resolvePlugins(settings.plugins);
  return {
    settings,
    core,
    log: core.logger,
    plugins,
    byMethod: new Map(plugins.map((p) => [p.method, p])),
    names: topology(settings.topicPrefix),
    metrics: new WorkerMetrics(),
  };
}
