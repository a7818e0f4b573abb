// CI's secret scanner: secretlint (recommended preset plus the Midtrans key patterns of
// .secretlintrc.json) over every file git tracks or would add — the working tree as it will be committed.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export function filesToScan(root: string): string[] {
  const listed = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  return [...new Set(listed.split('\0').filter(Boolean))].filter((f) => existsSync(join(root, f)));
}

/** Runs secretlint with the repository's configuration; resolves to its exit code (0: nothing found). */
export function runSecretlint(
  root: string,
  files: readonly string[],
  { config = join(root, '.secretlintrc.json'), quiet = false } = {},
): Promise<number> {
  const bin = join(root, 'node_modules/.bin/secretlint');
  return new Promise((done) => {
    const child = spawn(bin, ['--no-glob', '--secretlintrc', config, '--format', 'stylish', ...files], {
      cwd: root,
      stdio: quiet ? 'ignore' : 'inherit',
    });
    child.once('exit', (code, signal) => done(code ?? (signal ? 1 : 0)));
    child.once('error', () => done(1));
  });
}

export async function scanRepository(root: string): Promise<boolean> {
  const files = filesToScan(root);
  const code = await runSecretlint(root, files);
  console.log(
    code === 0
      ? `paystream: secretlint found no secret in ${String(files.length)} files`
      : 'paystream: secretlint found secrets (see above)',
  );
  return code === 0;
}
