// A real Prometheus server for one test: its own temporary data folder and free port, scraping and
// evaluating every second, with the rules files given, asked through its HTTP API.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, until } from '@paystream/test-harness';
import { stringify } from 'yaml';
import { prometheusBinaries } from './prometheus-binaries.ts';

export interface ScrapeTarget {
  readonly job: string;
  /** host:port of a /metrics endpoint. */
  readonly address: string;
}

export interface PrometheusAlert {
  readonly labels: Readonly<Record<string, string>>;
  readonly state: 'pending' | 'firing';
}

interface ApiAnswer<T> {
  readonly status: 'success' | 'error';
  readonly data?: T;
  readonly error?: string;
  readonly errorType?: string;
}

export class PrometheusServer {
  readonly url: string;
  readonly #child: ChildProcess;
  readonly #dir: string;

  private constructor(url: string, child: ChildProcess, dir: string) {
    this.url = url;
    this.#child = child;
    this.#dir = dir;
  }

  /** Starts the server and waits until it answers ready. `rules` holds the text of each rules file. */
  static async start(targets: readonly ScrapeTarget[], rules: readonly string[]): Promise<PrometheusServer> {
    const dir = mkdtempSync(join(tmpdir(), 'paystream-prometheus-'));
    const ruleFiles = rules.map((text, i) => {
      const file = join(dir, `rules-${String(i)}.yaml`);
      writeFileSync(file, text);
      return file;
    });
    const config = {
      global: { scrape_interval: '1s', evaluation_interval: '1s', scrape_timeout: '900ms' },
      rule_files: ruleFiles,
      scrape_configs: targets.map((t) => ({ job_name: t.job, static_configs: [{ targets: [t.address] }] })),
    };
    writeFileSync(join(dir, 'prometheus.yml'), stringify(config));
    const port = await freePort();
    const log = join(dir, 'prometheus.log');
    const out = openSync(log, 'a');
    const child = spawn(
      prometheusBinaries().prometheus,
      [
        `--config.file=${join(dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${String(port)}`,
        '--storage.tsdb.retention.time=1h',
      ],
      { stdio: ['ignore', out, out] },
    );
    closeSync(out);
    const server = new PrometheusServer(`http://127.0.0.1:${String(port)}`, child, dir);
    await until(
      async () =>
        child.exitCode === null &&
        (await fetch(`${server.url}/-/ready`).then(
          (r) => r.ok,
          () => false,
        )),
      () => `Prometheus did not become ready (exit ${String(child.exitCode)}): ${readFileSync(log, 'utf8').slice(-2_000)}`,
      { timeoutMs: 60_000, intervalMs: 250 },
    );
    return server;
  }

  async #get<T>(path: string, params: Record<string, string> = {}): Promise<ApiAnswer<T>> {
    const answer = await fetch(`${this.url}${path}?${new URLSearchParams(params).toString()}`);
    return (await answer.json()) as ApiAnswer<T>;
  }

  /** An instant query: the answer as Prometheus gave it (status, data or error). */
  query(expr: string): Promise<ApiAnswer<{ resultType: string; result: unknown[] }>> {
    return this.#get('/api/v1/query', { query: expr });
  }

  async alerts(): Promise<PrometheusAlert[]> {
    const answer = await this.#get<{ alerts: PrometheusAlert[] }>('/api/v1/alerts');
    return answer.data?.alerts ?? [];
  }

  /** Names of the alerts firing now. */
  async firing(): Promise<string[]> {
    return (await this.alerts()).filter((a) => a.state === 'firing').map((a) => a.labels['alertname'] ?? '');
  }

  /** The health of each scrape target ('up', 'down', 'unknown'). */
  async targetHealth(): Promise<string[]> {
    const answer = await this.#get<{ activeTargets: { health: string }[] }>('/api/v1/targets');
    return (answer.data?.activeTargets ?? []).map((t) => t.health);
  }

  async close(): Promise<void> {
    if (this.#child.exitCode === null) {
      const exited = new Promise((done) => this.#child.once('exit', done));
      this.#child.kill('SIGTERM');
      await exited;
    }
    rmSync(this.#dir, { recursive: true, force: true });
  }
}
