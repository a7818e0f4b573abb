// What the worker did since its last summary line: commands by method and outcome, and their
// command→result latency. Operators reading only the logs see the work without a line per command.
import type { Logger } from '@paystream/core';
import type { OrderReferences } from '@paystream/runtime';
import { commandLag, commandsInFlight, type CommandConsumers } from './consumers.ts';

export interface SummaryLine {
  readonly seconds: number;
  readonly commands: number;
  /** `method outcome` → count. */
  readonly outcomes: Record<string, number>;
  readonly latencyMsMax?: number;
  readonly latencyMsMean?: number;
}

export class OutcomeSummary {
  #counts = new Map<string, number>();
  #commands = 0;
  #latencySum = 0;
  #latencyCount = 0;
  #latencyMax = 0;
  #since = performance.now();

  add(method: string, outcome: string, latencyMs: number | undefined): void {
    const key = `${method} ${outcome}`;
    this.#counts.set(key, (this.#counts.get(key) ?? 0) + 1);
    this.#commands++;
    if (latencyMs === undefined) return;
    this.#latencySum += latencyMs;
    this.#latencyCount++;
    this.#latencyMax = Math.max(this.#latencyMax, latencyMs);
  }

  /** The summary since the last call, and a fresh start. */
  take(): SummaryLine {
    const now = performance.now();
    const line: SummaryLine = {
      seconds: Math.round((now - this.#since) / 1000),
      commands: this.#commands,
      outcomes: Object.fromEntries(this.#counts),
      ...(this.#latencyCount > 0
        ? { latencyMsMax: this.#latencyMax, latencyMsMean: Math.round(this.#latencySum / this.#latencyCount) }
        : {}),
    };
    this.#counts = new Map();
    this.#commands = 0;
    this.#latencySum = 0;
    this.#latencyCount = 0;
    this.#latencyMax = 0;
    this.#since = now;
    return line;
  }
}

export interface SummaryLog {
  readonly summary: OutcomeSummary;
  readonly intervalMs: number;
  readonly consumers: CommandConsumers;
  readonly orders: Pick<OrderReferences, 'size'>;
  readonly log: Logger;
}

/** Logs the summary at info every interval, with what is in flight and waiting; returns the stop. */
export function logSummaries(s: SummaryLog): () => void {
  const timer = setInterval(() => {
    const lag = commandLag(s.consumers);
    const inFlight = commandsInFlight(s.consumers);
    s.log.info({ ...s.summary.take(), inFlight, lag, orders: s.orders.size }, 'commands summary');
  }, s.intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
