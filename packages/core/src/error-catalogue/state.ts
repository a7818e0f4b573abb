// The worker's local order-state index: where it lives and who may open it.
import type { ErrorEntry } from './entry.ts';

export const stateErrors = {
  PS_ERR_STATE_INDEX_LOCKED: {
    class: 'fatal',
    exit: 78,
    message:
      'the order-state index in {dir} is held by another live process (pid {pid}): give each worker its own stateDir, or leave stateDir unset to take a free slot',
    meaning:
      "the folder set as `stateDir` (`PAYSTREAM_STATE_DIR`) holds the local order-state index of another running process; two processes never share one index. The lock is the operating system's: it is free again the moment its holder stops or dies, so a killed worker never blocks its successor",
  },
  PS_ERR_STATE_INDEX_NO_SLOT: {
    class: 'fatal',
    exit: 73,
    message:
      'every order-state index slot under {root} (index-0 to index-{last}) is held by a live process: set stateDir to a folder of its own',
    meaning:
      'with `stateDir` unset, a worker keeps its index in the first free slot `index-<n>` of `${XDG_STATE_HOME:-$HOME/.local/state}/paystream`; all slots are held by running processes on this host',
  },
} as const satisfies Record<string, ErrorEntry>;
