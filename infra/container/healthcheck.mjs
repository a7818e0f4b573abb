// The image's HEALTHCHECK: asks the worker's operations server for /healthz with the bundled Node,
// so the image needs no curl or shell. The address is the worker's own setting (PAYSTREAM_OPS_HOST,
// PAYSTREAM_OPS_PORT); a wildcard address is asked on loopback, where it also listens.
const host = process.env.PAYSTREAM_OPS_HOST ?? '127.0.0.1';
const port = process.env.PAYSTREAM_OPS_PORT ?? '9464';
const loopback = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '[::1]' : host.includes(':') ? `[${host}]` : host;
try {
  const answer = await fetch(`http://${loopback}:${port}/healthz`, { signal: AbortSignal.timeout(4_000) });
  process.exitCode = answer.ok ? 0 : 1;
} catch (err) {
  // fetch's own message is only "fetch failed"; its cause says why (ECONNREFUSED, a timeout, …).
  const cause = err instanceof Error && err.cause instanceof Error ? err.cause : undefined;
  const why = [err instanceof Error ? err.message : String(err), cause?.code ?? cause?.message].filter(Boolean);
  console.error(`healthz: ${why.join(': ')}`);
  process.exitCode = 1;
}
