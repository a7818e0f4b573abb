// The state-split check finds every way a fleet's indexes can fail to split the state, and passes a clean split.
import { describe, expect, it } from 'vitest';
import { partitionOfKey } from '@paystream/runtime';
import { counter, splitProblems, type IndexSplit } from './state-split.ts';

const PARTITIONS = 6;
const ids = Array.from({ length: 60 }, (_, i) => `split-${String(i)}`);
const owners = new Map([
  [1, [0, 3]],
  [2, [1, 4]],
  [3, [2, 5]],
]);

/** The indexes a clean split leaves: each worker holds the orders of its own partitions, filed under them. */
function cleanSplit(): IndexSplit[] {
  return [...owners].map(([slot, offsets]) => ({
    slot,
    offsets,
    orders: new Map(ids.flatMap((id) => (offsets.includes(partitionOfKey(id, PARTITIONS)) ? [[id, partitionOfKey(id, PARTITIONS)]] : []))),
  }));
}
const logged = (): Map<number, readonly number[] | undefined> => new Map(owners);
const opts = { partitions: PARTITIONS, orderIds: ids };

describe('splitProblems', () => {
  it('finds nothing in a clean split', () => {
    expect(splitProblems(cleanSplit(), logged(), opts)).toEqual([]);
  });

  it('names partitions held twice or by no one', () => {
    const [a, b, c] = cleanSplit() as [IndexSplit, IndexSplit, IndexSplit];
    const problems = splitProblems([{ ...a, offsets: [0, 1, 3] }, b, { ...c, offsets: [5] }], logged(), opts).join('\n');
    expect(problems).toContain('partitions in more than one index (1): 1 in workers 1, 2');
    expect(problems).toContain('partitions in no index (1): 2');
  });

  it('names orders outside their index, under another partition, in no index or in two', () => {
    const [a, b, c] = cleanSplit() as [IndexSplit, IndexSplit, IndexSplit];
    const [ofB] = [...b.orders.keys()] as [string];
    const [ofC] = [...c.orders.keys()] as [string];
    const [, alsoOfA] = [...a.orders.keys()] as [string, string];
    const orders = new Map(a.orders).set(ofB, 1).set(alsoOfA, a.offsets.find((p) => p !== a.orders.get(alsoOfA)) ?? 0);
    const problems = splitProblems(
      [{ ...a, orders }, b, { ...c, orders: new Map([...c.orders].filter(([id]) => id !== ofC)) }],
      logged(),
      opts,
    );
    expect(problems.join('\n')).toContain(`worker 1 (offsets 0,3): orders outside its partitions (1): ${ofB} (part 1)`);
    expect(problems.join('\n')).toContain(`worker 1 (offsets 0,3): orders under another partition than their key's (1): ${alsoOfA}`);
    expect(problems.join('\n')).toContain(`the run's orders in no index (1): ${ofC}`);
    expect(problems.join('\n')).toContain(`orders in more than one index (1): ${ofB} in workers 1, 2`);
  });

  it('names an index that disagrees with what its worker last logged owning, or a worker that logged nothing', () => {
    const said = logged().set(1, [0, 3, 4]).set(2, undefined);
    const problems = splitProblems(cleanSplit(), said, opts);
    expect(problems).toEqual([
      'worker 1 (offsets 0,3): last logged owning 0,3,4',
      "worker 2 (offsets 1,4): never logged 'order-state partitions owned'",
    ]);
  });
});

describe('counter', () => {
  it("sums a counter's series with the label, and only those", () => {
    const text = [
      '# TYPE paystream_notifications_total counter',
      'paystream_notifications_total{outcome="published"} 7',
      'paystream_notifications_total{path="/a",outcome="handed-over"} 3',
      'paystream_notifications_total{path="/b",outcome="handed-over"} 2',
      'paystream_notifications_totals{outcome="handed-over"} 100',
    ].join('\n');
    expect(counter(text, 'paystream_notifications_total', 'outcome="handed-over"')).toBe(5);
    expect(counter(text, 'paystream_notifications_total', 'outcome="rejected"')).toBe(0);
  });
});
