// The upstream keys commands are verified with (core's CommandKeyRing over `commands.auth`), opened
// with core, before anything connects: a key file that cannot be read stops the start. Reloads are
// logged; a failed one keeps the last good keys, as core's key ring does.
import { CommandKeyRing, FileCommandKeySource, reloadOnSighup } from '@paystream/core';
import type { CommandAuthConfig } from './config/command-auth.ts';
import type { WorkerParts } from './tokens.ts';

export async function openCommandKeys(p: Pick<WorkerParts, 'settings' | 'keyRing' | 'plugins' | 'log'>): Promise<CommandKeyRing> {
  const auth = p.settings.commandAuth;
  const ring = await CommandKeyRing.open(new FileCommandKeySource(auth), {
    required: auth.required,
    defaultMerchant: p.keyRing.defaultMerchant,
  });
  ring.onReload((r) => {
    if (r.ok) p.log.info({ keys: ring.keys().length }, 'command keys reloaded');
    else p.log.error({ error: r.error }, 'reloading command keys failed; the last good keys stay in use');
  });
  // A method no plugin of this worker runs is a typo or another worker's: its commands would be refused here anyway.
  const unknown = auth.upstreams.flatMap((u) => u.methods.filter((m) => !p.plugins.has(m)).map((m) => `${u.name}: ${m}`));
  if (unknown.length > 0) p.log.warn({ unknown }, 'commands.auth.upstreams name methods this worker does not run');
  if (auth.required || auth.upstreams.length > 0)
    p.log.info(
      { required: auth.required, upstreams: auth.upstreams.map((u) => u.name), keys: ring.keys().length },
      'command authentication',
    );
  return ring;
}

/** SIGHUP reloads the upstream keys too; the returned function stops that, their file watch and `alongside`. */
export function followCommandKeys(ring: CommandKeyRing, alongside: () => void): () => void {
  const off = reloadOnSighup(ring);
  return () => {
    alongside();
    off();
    ring.close();
  };
}

/** What `config check` shows of `commands.auth` after loading every key it names: each key's id, fingerprint, upstream and revocation. */
export async function commandKeysSummary(auth: CommandAuthConfig): Promise<Record<string, unknown>> {
  const ring = await CommandKeyRing.open(new FileCommandKeySource(auth), { required: auth.required, defaultMerchant: '', watch: false });
  return { required: auth.required, keys: ring.keys() };
}
