// `paystream-sim` / `npm run sim`: run the simulator until SIGINT or SIGTERM.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { writeDescriptor } from './descriptor.ts';
import { startSimulator } from './server.ts';

const usage = `usage: paystream-sim [--host 127.0.0.1] [--port 0] [--state-file PATH] [--merchant-public-key FILE]
                     [--notify-url URL] [--core-notify-url URL] [--time-scale 600] [--tls12-only]`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      host: { type: 'string' },
      port: { type: 'string' },
      'state-file': { type: 'string' },
      'merchant-public-key': { type: 'string' },
      'notify-url': { type: 'string' },
      'core-notify-url': { type: 'string' },
      'time-scale': { type: 'string' },
      'tls12-only': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(usage);
    return;
  }
  const port = Number(values.port ?? 0);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be 0–65535\n${usage}`);
  const sim = await startSimulator({
    ...(values.host ? { host: values.host } : {}),
    port,
    ...(values['tls12-only'] ? { tls12Only: true } : {}),
    ...(values['merchant-public-key'] ? { merchantPublicKeyPem: readFileSync(values['merchant-public-key'], 'utf8') } : {}),
    webhooks: {
      ...(values['notify-url'] ? { snapBaseUrl: values['notify-url'] } : {}),
      ...(values['core-notify-url'] ? { coreNotificationUrl: values['core-notify-url'] } : {}),
      ...(values['time-scale'] ? { timeScale: Number(values['time-scale']) } : {}),
    },
  });
  if (values['state-file']) writeDescriptor(sim, values['state-file']);
  console.log(
    `midtrans-sim listening on ${sim.baseUrl} (admin ${sim.adminUrl})${values['state-file'] ? `; descriptor in ${values['state-file']}` : ''}`,
  );
  const stop = (): void => void sim.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error(`midtrans-sim: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
