// Meta-tests over the repository itself: no secret is ever committed, every project is known to the
// dependency table, and the README keeps its two-command quick start.
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { allowedTags, readProjects } from '../../tools/boundaries.ts';

const root = join(import.meta.dirname, '../..');

function trackedFiles(): string[] {
  return execFileSync('git', ['ls-files', '-z'], { cwd: root, encoding: 'utf8' }).split('\0').filter(Boolean);
}

/** Material that must never be in the repository, whatever the file. */
const secretPatterns: readonly [string, RegExp][] = [
  // A real key: the armour line followed by base64 key material.
  ['PEM private key', /-----BEGIN (?:RSA |EC |ENCRYPTED |OPENSSH )?PRIVATE KEY-----\r?\n[A-Za-z0-9+/=]{40,}/],
  ['Midtrans server key', /(?:SB-)?Mid-server-[A-Za-z0-9_-]{8,}/],
  ['Midtrans client key', /(?:SB-)?Mid-client-[A-Za-z0-9_-]{8,}/],
];

describe('the repository', () => {
  it('holds no private key or Midtrans key in any tracked file', () => {
    const hits: string[] = [];
    for (const file of trackedFiles()) {
      if (file === 'package-lock.json') continue;
      let text: string;
      try {
        text = readFileSync(join(root, file), 'utf8');
      } catch {
        continue; // deleted in the working tree
      }
      for (const [what, pattern] of secretPatterns) if (pattern.test(text)) hits.push(`${file}: ${what}`);
    }
    expect(hits).toEqual([]);
  });

  it('recognises real key material with the same patterns', () => {
    const pem = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
    expect(secretPatterns.some(([, p]) => p.test(pem))).toBe(true);
    expect(secretPatterns.some(([, p]) => p.test(`SB-Mid-server-${'x'.repeat(20)}`))).toBe(true);
  });

  it('gives every project a tag the dependency table knows', () => {
    const projects = readProjects(root);
    expect(projects.length).toBeGreaterThan(0);
    for (const project of projects) {
      expect(project.tags.length, project.dir).toBeGreaterThan(0);
      for (const tag of project.tags) expect(Object.keys(allowedTags), `${project.dir} ${tag}`).toContain(tag);
    }
  });

  it('keeps exactly two commands in the README quick start: the demo, then the tests', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const section = readme.split('## Quick start')[1] ?? '';
    const block = /```[a-z]*\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
    const commands = block
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'));
    expect(commands).toEqual(['npm start', 'npm test']);
  });
});
