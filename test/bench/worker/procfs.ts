// What a process costs, read from /proc the way an operator would: resident memory (VmRSS, and the
// kernel's own high-water mark VmHWM) and CPU time (utime + stime).
import { readFileSync } from 'node:fs';

/** Linux reports utime and stime in clock ticks; USER_HZ is 100 on every mainstream kernel. */
const TICKS_PER_SECOND = 100;

function statusField(pid: number, field: string): number {
  const text = readFileSync(`/proc/${String(pid)}/status`, 'utf8');
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text);
  return match ? Number(match[1]) / 1024 : 0;
}

/** Resident set size now, in MiB; 0 once the process is gone. */
export function rssMb(pid: number): number {
  try {
    return statusField(pid, 'VmRSS');
  } catch {
    return 0;
  }
}

/** The kernel's resident high-water mark since the process started, in MiB. */
export function hwmMb(pid: number): number {
  try {
    return statusField(pid, 'VmHWM');
  } catch {
    return 0;
  }
}

/** CPU seconds (user + system) the process has used so far; 0 once it is gone. */
export function cpuSeconds(pid: number): number {
  try {
    // The command name may hold spaces and parentheses: fields are counted after the last ')'.
    const stat = readFileSync(`/proc/${String(pid)}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/**
 * Seconds the process' main thread — the event loop — spent runnable but waiting for a CPU
 * (/proc/PID/schedstat, second field, ns). The event loop counts that time as busy, so a loop
 * "busy 98 %" on a fraction of a core is starved, not blocked. 0 once the process is gone.
 */
export function runQueueSeconds(pid: number): number {
  try {
    const [, waitingNs] = readFileSync(`/proc/${String(pid)}/schedstat`, 'utf8')
      .trim()
      .split(/\s+/);
    return Number(waitingNs ?? 0) / 1e9;
  } catch {
    return 0;
  }
}

/** Samples a process' RSS every `everyMs` and keeps the series, the peak and the CPU time used meanwhile. */
export class ProcessSampler {
  readonly samples: { atMs: number; rssMb: number }[] = [];
  readonly #pid: number;
  readonly #timer: NodeJS.Timeout;
  readonly #start = performance.now();
  readonly #cpuStart: number;

  constructor(pid: number, everyMs: number) {
    this.#pid = pid;
    this.#cpuStart = cpuSeconds(pid);
    this.#timer = setInterval(() => this.sample(), everyMs);
    this.sample();
  }

  sample(): void {
    const rss = rssMb(this.#pid);
    if (rss > 0) this.samples.push({ atMs: performance.now() - this.#start, rssMb: rss });
  }

  get peakMb(): number {
    return Math.max(0, ...this.samples.map((s) => s.rssMb));
  }

  /** CPU seconds since the sampler started. */
  get cpuSeconds(): number {
    return cpuSeconds(this.#pid) - this.#cpuStart;
  }

  stop(): void {
    clearInterval(this.#timer);
  }
}
