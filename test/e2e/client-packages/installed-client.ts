// @paystream/client as another team gets it: installed from a registry into an empty folder outside
// the repository, under a chosen Node.js, with kafkajs and the compiler beside it, and the examples
// the package ships copied next to them.
import { execFile, execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface NodeRuntime {
  readonly major: number;
  readonly node: string;
  /** PATH with this Node's folder first, so that its npm and npx run on it. */
  readonly path: string;
}

function majorOf(node: string): number {
  try {
    return Number(execFileSync(node, ['-p', 'process.versions.node.split(".")[0]'], { encoding: 'utf8' }).trim());
  } catch {
    return 0;
  }
}

/** The Node.js of that major version: this process's, or the first on PATH (the machine's own). */
export function nodeRuntime(major: number): NodeRuntime {
  const candidates = [process.execPath, ...(process.env['PATH'] ?? '').split(delimiter).map((d) => join(d, 'node')), '/usr/bin/node'];
  const node = candidates.find((n) => existsSync(n) && majorOf(n) === major);
  if (!node) throw new Error(`no Node.js ${String(major)} found on PATH or at /usr/bin/node`);
  return { major, node, path: [dirname(node), process.env['PATH'] ?? ''].join(delimiter) };
}

/** Versions of the tools installed beside the client, as the repository uses them. */
export interface ToolVersions {
  readonly kafkajs: string;
  readonly typescript: string;
  readonly typesNode: string;
}

/** Installs @paystream/client and kafkajs from the registry into `dir` under `runtime`, and copies its examples there. */
export async function installClient(dir: string, runtime: NodeRuntime, npmrc: string, tools: ToolVersions): Promise<void> {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'client-check', private: true, type: 'module' }));
  const packages = ['@paystream/client', `kafkajs@${tools.kafkajs}`, `typescript@${tools.typescript}`, `@types/node@${tools.typesNode}`];
  await run('npm', ['install', '--userconfig', npmrc, '--no-audit', '--no-fund', '--loglevel=error', ...packages], {
    cwd: dir,
    env: { ...process.env, PATH: runtime.path, npm_config_cache: join(dir, '.npm-cache') },
    timeout: 600_000,
  });
  const examples = join(dir, 'node_modules/@paystream/client/examples');
  for (const file of readdirSync(examples)) copyFileSync(join(examples, file), join(dir, file));
}

/** Runs `node <script> …args` in the folder under the runtime; resolves with its standard output. */
export async function runExample(dir: string, runtime: NodeRuntime, args: readonly string[], env: Record<string, string>): Promise<string> {
  const { stdout } = await run(runtime.node, args, { cwd: dir, env: { ...process.env, PATH: runtime.path, ...env }, timeout: 240_000 });
  return stdout;
}

/** Compiles the package's typed example against the installed declarations with `tsc --strict`. */
export async function compileTypes(dir: string, runtime: NodeRuntime): Promise<void> {
  const flags = ['--strict', '--noEmit', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', '--types', 'node'];
  await run(runtime.node, [join(dir, 'node_modules/typescript/bin/tsc'), ...flags, 'types.ts'], { cwd: dir, timeout: 240_000 });
}
