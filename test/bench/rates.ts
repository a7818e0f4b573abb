// Rates the benchmarks measure the same way: calls per second with a fixed number in flight.

/** `n` calls, `concurrency` at a time, each worker taking the next as its last one ends; calls per second. */
export async function callsPerSecond(n: number, concurrency: number, call: (i: number) => Promise<unknown>): Promise<number> {
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) await call(next++);
    }),
  );
  return (n / (performance.now() - start)) * 1000;
}
