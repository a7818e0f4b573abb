// The V8 flags a worker process runs with: `bin/paystream` passes them to Node, and whatever starts
// `runWorker` in a process of its own should pass them too.
//
// V8 lets the young generation grow to 64 MiB semi-spaces (128 MiB of new space) when many objects
// survive a scavenge — which every command in flight does, for the Midtrans round trip and the
// acknowledged write. That space is resident and was the largest part of the worker's RSS; its live
// heap is a fraction of it. 16 MiB semi-spaces bound it at 32 MiB for a few more scavenges.
//
// The old generation is bounded by design — orders live in the local index (OrderStore), fetches and
// in-flight work are capped — and measures about 50 MiB live under load. Without a limit V8 lets it
// grow to several times that between major collections on a machine with memory to spare; telling
// it the worker's heap fits in 256 MiB makes it collect before the slack becomes resident.
export const WORKER_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=16', '--max-old-space-size=256'];
