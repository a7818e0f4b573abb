// Summarises a V8 CPU profile of the worker (BENCH_CPU_PROF=DIR writes one per worker process):
// self time by area — a workspace package, an npm package, Node's internals, GC — and the hottest
// functions. Usage: node test/bench/worker/profile-summary.ts FILE.cpuprofile [top]
import { readFileSync } from 'node:fs';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  readonly children?: readonly number[];
}

interface Profile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** The part of the code a frame belongs to: `packages/runtime`, `npm:kafkajs`, `node:internal`, … */
export function areaOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const npm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (npm) return `npm:${npm[1] ?? ''}`;
  const own = /\/((?:packages|plugins|infra|test)\/[^/]+)\//.exec(url);
  if (own) return own[1] ?? url;
  if (url.startsWith('node:')) return 'node:internal';
  return url;
}

export interface Shares {
  /** Profiled and busy (not idle) time, µs. */
  readonly totalUs: number;
  readonly busyUs: number;
  /**
   * Self time by area, as shares of busy time, largest first. Time in Node's internals and native
   * code counts for the nearest package up the stack that called it (crypto for whoever signs).
   */
  readonly areas: readonly (readonly [string, number])[];
  /** Self time by function, as shares of busy time, largest first. */
  readonly functions: readonly (readonly [string, number])[];
}

export function shares(profile: Profile): Shares {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const packageOf = (id: number): string => {
    const own = byId.get(id)?.callFrame;
    const first = own ? areaOf(own.url, own.functionName) : '(native)';
    if (first.startsWith('(garbage') || first === '(program)') return first;
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const f = byId.get(at)?.callFrame;
      const area = f ? areaOf(f.url, f.functionName) : '';
      if (area.startsWith('npm:') || /^(packages|plugins|infra|test)\//.test(area)) return area;
    }
    return first;
  };
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const totalUs = [...self.values()].reduce((a, b) => a + b, 0);
  const areas = new Map<string, number>();
  const functions = new Map<string, number>();
  let busyUs = 0;
  for (const [id, t] of self) {
    const f = byId.get(id)?.callFrame;
    if (!f || f.functionName === '(idle)') continue;
    busyUs += t;
    const area = packageOf(id);
    areas.set(area, (areas.get(area) ?? 0) + t);
    const where = f.url ? ` ${f.url.replace(/^.*\/(node_modules|packages|plugins)\//, '$1/')}:${String(f.lineNumber + 1)}` : '';
    const key = `${f.functionName || '(anonymous)'}${where}`;
    functions.set(key, (functions.get(key) ?? 0) + t);
  }
  const ranked = (m: Map<string, number>): [string, number][] =>
    [...m].map(([k, t]): [string, number] => [k, t / busyUs]).sort((a, b) => b[1] - a[1]);
  return { totalUs, busyUs, areas: ranked(areas), functions: ranked(functions) };
}

export const readProfile = (file: string): Profile => JSON.parse(readFileSync(file, 'utf8')) as Profile;

const percent = (x: number): string => `${(x * 100).toFixed(1)} %`;

/** `name 12.3 %, …` for the first `n` entries. */
export function top(list: Shares['areas'], n: number): string {
  return list
    .slice(0, n)
    .map(([k, x]) => `${k} ${percent(x)}`)
    .join(', ');
}

export function summarise(profile: Profile, n = 25): string {
  const s = shares(profile);
  const rows = (list: Shares['areas'], count: number): string[] =>
    list.slice(0, count).map(([k, x]) => `  ${percent(x).padStart(7)}  ${k}`);
  return [
    `profiled ${(s.totalUs / 1e6).toFixed(1)} s, busy ${(s.busyUs / 1e6).toFixed(1)} s (${percent(s.busyUs / s.totalUs)}); shares of busy time:`,
    'by area:',
    ...rows(s.areas, 15),
    'by function (self time):',
    ...rows(s.functions, n),
  ].join('\n');
}

if (import.meta.main) {
  const [file, count] = process.argv.slice(2);
  if (!file) {
    console.error('usage: node test/bench/worker/profile-summary.ts FILE.cpuprofile [top]');
    process.exit(2);
  }
  console.log(summarise(readProfile(file), Number(count ?? 25)));
}
