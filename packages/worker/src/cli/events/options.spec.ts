// The arguments of `paystream events …` are refused before anything connects, with exit status 2
// and a message that never repeats the value back.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../main.ts';
import { actorOption, groupArgument, rangeOption, timeOption } from './options.ts';

afterEach(() => vi.restoreAllMocks());

async function run(...argv: string[]): Promise<{ code: number; stderr: string }> {
  const lines: string[] = [];
  vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void lines.push(a.join(' ')));
  return { code: await main(argv), stderr: lines.join('\n') };
}

describe('events options', () => {
  it('take RFC 3339 times with an offset only', () => {
    expect(timeOption({ from: '2026-05-01T10:00:00+07:00' }, 'from')).toBe(Date.parse('2026-05-01T03:00:00Z'));
    expect(timeOption({}, 'from')).toBeUndefined();
    for (const bad of ['2026-05-01', '2026-05-01T10:00:00', 'yesterday', '1714557600000'])
      expect(() => timeOption({ from: bad }, 'from'), bad).toThrow(/RFC 3339/);
  });

  it('take a period only whole and in order', () => {
    expect(rangeOption({ from: '2026-05-01T00:00:00Z', to: '2026-05-02T00:00:00Z' })).toEqual({
      fromMs: Date.parse('2026-05-01T00:00:00Z'),
      toMs: Date.parse('2026-05-02T00:00:00Z'),
    });
    expect(rangeOption({})).toBeUndefined();
    expect(() => rangeOption({ from: '2026-05-01T00:00:00Z' })).toThrow(/go together/);
    expect(() => rangeOption({ from: '2026-05-02T00:00:00Z', to: '2026-05-01T00:00:00Z' })).toThrow(/before/);
  });

  it('take an actor name, not markup or control characters', () => {
    expect(actorOption({ actor: 'Siti Rahma' })).toBe('Siti Rahma');
    expect(actorOption({ actor: 'ops.oncall@example.co.id' })).toBe('ops.oncall@example.co.id');
    expect(actorOption({})).toBeUndefined();
    for (const bad of ['<script>', 'a\nb', ' leading', 'x'.repeat(201)]) expect(() => actorOption({ actor: bad }), bad).toThrow(/--actor/);
  });

  it('take a consumer group of printable characters', () => {
    expect(groupArgument('ledger.results-v2')).toBe('ledger.results-v2');
    expect(() => groupArgument(undefined)).toThrow(/name the consumer group/);
    expect(() => groupArgument('has space')).toThrow(/printable/);
  });
});

describe('paystream events, refused before connecting', () => {
  it('republish needs an order or a whole period', async () => {
    expect(await run('events', 'republish')).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--order ID, or --from TIME --to TIME') as unknown,
    });
    const half = await run('events', 'republish', '--from', '2026-05-01T00:00:00Z');
    expect(half).toMatchObject({ code: 2, stderr: expect.stringContaining('go together') as unknown });
  });

  it('republish refuses an order id or a method that cannot be one, without echoing it', async () => {
    const r = await run('events', 'republish', '--order', 'order #42 of Pak Budi', '--method', 'Go Pay');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--order is not an order id');
    expect(r.stderr).not.toContain('Pak Budi');
    expect((await run('events', 'republish', '--order', 'o-1', '--method', 'Go Pay')).stderr).toContain('kebab-case');
  });

  it('reset-group needs a group and a time', async () => {
    expect((await run('events', 'reset-group')).stderr).toContain('name the consumer group');
    expect((await run('events', 'reset-group', 'ledger.results')).stderr).toContain('--to-time is required');
    const r = await run('events', 'reset-group', 'ledger.results', '--to-time', 'last tuesday', '--actor', 'siti');
    expect(r).toMatchObject({ code: 2 });
    expect(r.stderr).not.toContain('last tuesday');
  });

  it('refuses an actor name that is not one', async () => {
    const r = await run('events', 'republish', '--order', 'o-1', '--actor', '<b>x</b>');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--actor is a name');
  });
});
