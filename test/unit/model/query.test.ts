import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { RepoModel } from '../../../server/src/model/model';
import { derived } from '../../../server/src/model/query';

const cm = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n`;

function model(files: Record<string, string>): RepoModel {
  const m = new RepoModel('/repo');
  for (const [path, text] of Object.entries(files)) m.setFile(path, text);
  return m;
}

/** A compute function that counts its calls. */
function counted<T>(compute: () => T): { compute: () => T; calls: () => number } {
  let calls = 0;
  return {
    compute: () => {
      calls++;
      return compute();
    },
    calls: () => calls,
  };
}

test('a query is computed once and reused while its inputs are the same objects', () => {
  const m = model({ 'a.yaml': cm('a') });
  const a = {};
  const b = {};
  const q = counted(() => ({ value: 1 }));
  const first = m.queries.get('q', 'k', [a, 'x'], q.compute);
  assert.equal(m.queries.get('q', 'k', [a, 'x'], q.compute), first);
  assert.equal(q.calls(), 1);
  // Another input, another length: computed again, and the new value replaces the old one.
  const second = m.queries.get('q', 'k', [b, 'x'], q.compute);
  assert.notEqual(second, first);
  assert.equal(m.queries.get('q', 'k', [b, 'x', 1], q.compute) === second, false);
  assert.equal(q.calls(), 3);
  // Names and keys are separate queries; a file edit the query did not read changes nothing.
  m.setFile('a.yaml', cm('b'));
  assert.notEqual(m.queries.get('other', 'k', [b, 'x', 1], q.compute), m.queries.get('q', 'k2', [b, 'x', 1], q.compute));
  assert.equal(q.calls(), 5);
  m.queries.get('q', 'k2', [b, 'x', 1], q.compute);
  assert.equal(q.calls(), 5);
});

test('object keys are separate queries, held per object', () => {
  const m = model({});
  const one = {};
  const two = {};
  const q = counted(() => Math.random());
  const v1 = m.queries.get('q', one, [], q.compute);
  const v2 = m.queries.get('q', two, [], q.compute);
  assert.notEqual(v1, v2);
  assert.equal(m.queries.get('q', one, [], q.compute), v1);
  assert.equal(q.calls(), 2);
});

test('a query is computed again when a file it read changes, is created or deleted, and only then', () => {
  const m = model({ 'a.yaml': cm('a'), 'b.yaml': cm('b') });
  let calls = 0;
  const names = () =>
    m.queries.get('names', 'all', [], (read) => {
      calls++;
      return ['a.yaml', 'c.yaml'].map((path) => read.file(path)?.resources[0]?.name ?? '-').join(',');
    });
  assert.equal(names(), 'a,-');
  m.setFile('b.yaml', cm('bb'));
  assert.equal(names(), 'a,-');
  assert.equal(calls, 1);
  m.setFile('a.yaml', cm('aa'));
  assert.equal(names(), 'aa,-');
  assert.equal(calls, 2);
  m.setFile('c.yaml', cm('c'));
  assert.equal(names(), 'aa,c');
  m.setFile('c.yaml', undefined);
  assert.equal(names(), 'aa,-');
  assert.equal(calls, 4);
  // The change log cleared (new chart stores): every file read is compared instead.
  m.setChartStores([]);
  assert.equal(names(), 'aa,-');
  assert.equal(calls, 4);
  m.setChartStores([]);
  m.setFile('a.yaml', cm('aaa'));
  assert.equal(names(), 'aaa,-');
  assert.equal(calls, 5);
});

test('a query that throws keeps nothing: the next call computes again', () => {
  const m = model({});
  let calls = 0;
  const run = () =>
    m.queries.get('q', 'k', [], () => {
      if (++calls === 1) throw new Error('first');
      return calls;
    });
  assert.throws(run, /first/);
  assert.equal(run(), 2);
  assert.equal(run(), 2);
});

test('joined parts are the same array while every part is', () => {
  const m = model({});
  const p1 = [1, 2];
  const p2 = [3];
  const all = m.queries.joined('j', [p1, p2]);
  assert.deepEqual(all, [1, 2, 3]);
  assert.equal(m.queries.joined('j', [p1, p2]), all);
  const again = m.queries.joined('j', [p1, [3]]);
  assert.deepEqual(again, all);
  assert.notEqual(again, all);
});

test('perFile computes every file first, then only the files the change log names', () => {
  const m = model({ 'a.yaml': cm('a'), 'b.yaml': 'x: 1\n' });
  const seen: string[] = [];
  const names = (inputs: unknown[]) =>
    m.queries.perFile(
      'names',
      inputs,
      (file) => (seen.push(file.path), file.resources.map((r) => r.name)),
      (v) => v.length === 0,
    );
  const graph = {};
  let result = names([graph]);
  assert.deepEqual([...result.byPath], [['a.yaml', ['a']], ['b.yaml', []]]);
  assert.equal(result.changed, true);
  assert.deepEqual(seen.splice(0), ['a.yaml', 'b.yaml']);
  // Nothing changed: nothing computed, nothing reported changed.
  const version = result.version;
  result = names([graph]);
  assert.equal(result.changed, false);
  assert.equal(result.version, version);
  assert.deepEqual(seen.splice(0), []);
  // An empty value staying empty is no change; a name appearing or a file going is.
  m.setFile('b.yaml', 'x: 2\n');
  assert.equal(names([graph]).changed, false);
  assert.equal(names([graph]).version, version);
  m.setFile('b.yaml', cm('b'));
  result = names([graph]);
  assert.equal(result.changed, true);
  assert.notEqual(result.version, version);
  m.setFile('a.yaml', undefined);
  result = names([graph]);
  assert.equal(result.changed, true);
  assert.deepEqual([...result.byPath.keys()], ['b.yaml']);
  assert.deepEqual(seen.splice(0), ['b.yaml', 'b.yaml']);
  // New inputs (a rebuilt graph): every file again.
  result = names([{}]);
  assert.equal(result.changed, true);
  assert.deepEqual(seen.splice(0), ['b.yaml']);
});

test('derived computes once per object', () => {
  let calls = 0;
  const size = derived((o: { items: number[] }) => (calls++, o.items.length));
  const o = { items: [1, 2] };
  assert.equal(size(o), 2);
  assert.equal(size(o), 2);
  assert.equal(size({ items: [] }), 0);
  assert.equal(calls, 2);
});

// Property: whatever the series of edits, a query that reads files answers what computing it
// afresh answers, and so does a per-file query.
const PATHS = ['a.yaml', 'b.yaml', 'c.yaml', 'd/e.yaml'];
const edit = fc.tuple(fc.constantFrom(...PATHS), fc.option(fc.constantFrom('a', 'b', 'c'), { nil: undefined }));

test('queries over files, path kinds and listings equal a fresh computation after any series of edits', () => {
  fc.assert(
    fc.property(fc.array(fc.tuple(edit, fc.boolean(), fc.boolean()), { minLength: 1, maxLength: 25 }), (steps) => {
      const m = model({ 'a.yaml': cm('a') });
      const read = ['a.yaml', 'd/e.yaml'];
      const fresh = () => [...read.map((p) => m.file(p)?.resources[0]?.name ?? '-'), m.kindOf('d'), m.kindOf('c.yaml'), JSON.stringify(m.children('')), JSON.stringify(m.children('d'))].join(',');
      const query = () =>
        m.queries.get('names', 'all', [], (r) => [...read.map((p) => r.file(p)?.resources[0]?.name ?? '-'), r.kind('d'), r.kind('c.yaml'), JSON.stringify(r.listing('')), JSON.stringify(r.listing('d'))].join(','));
      const perFile = () => Object.fromEntries(m.queries.perFile('names', [], (f) => f.resources.map((r) => r.name).join(','), (v) => v === '').byPath);
      const freshPerFile = () => Object.fromEntries([...m.files].map(([p, f]) => [p, f.resources.map((r) => r.name).join(',')]));
      for (const [[path, name], ask, clear] of steps) {
        m.setFile(path, name === undefined ? undefined : cm(name));
        if (clear) m.setChartStores([]);
        if (ask) {
          assert.equal(query(), fresh());
          assert.deepEqual(perFile(), freshPerFile());
        }
      }
      assert.equal(query(), fresh());
      assert.deepEqual(perFile(), freshPerFile());
    }),
  );
});

test('a query computed again gets the value it replaces', () => {
  const m = model({});
  const seen: unknown[] = [];
  const ask = (input: string) => m.queries.get('q', 'k', [input], (_, previous: string | undefined) => (seen.push(previous), input));
  ask('a');
  ask('a');
  ask('b');
  assert.deepEqual(seen, [undefined, 'a']);
});

test('a query that read a path kind or a folder listing is computed again when they change, and only then', () => {
  const m = model({ 'apps/web/a.yaml': cm('a') });
  m.setFile('apps/web/notes.txt', null);
  let calls = 0;
  const seen = () =>
    m.queries.get('seen', 'all', [], (read) => {
      calls++;
      return `${read.kind('apps/web/notes.txt')} ${read.kind('apps/db')} [${read.listing('apps/web').files.join(',')}]`;
    });
  assert.equal(seen(), 'file missing [apps/web/a.yaml,apps/web/notes.txt]');
  // Text edits of a file listed: the listing is the same.
  m.setFile('apps/web/a.yaml', cm('b'));
  m.setFile('other/x.yaml', cm('x'));
  assert.equal(seen(), 'file missing [apps/web/a.yaml,apps/web/notes.txt]');
  assert.equal(calls, 1);
  // A file deep below makes a folder; a file created in the folder lists it; a file deleted goes.
  m.setFile('apps/db/deep/ns.yaml', cm('db'));
  assert.equal(seen(), 'file folder [apps/web/a.yaml,apps/web/notes.txt]');
  m.setFile('apps/web/b.yaml', cm('b'));
  assert.equal(seen(), 'file folder [apps/web/a.yaml,apps/web/b.yaml,apps/web/notes.txt]');
  m.setFile('apps/web/notes.txt', undefined);
  assert.equal(seen(), 'missing folder [apps/web/a.yaml,apps/web/b.yaml]');
  assert.equal(calls, 4);
  // Without the change log: compared by value all the same.
  m.setChartStores([]);
  assert.equal(seen(), 'missing folder [apps/web/a.yaml,apps/web/b.yaml]');
  assert.equal(calls, 4);
  m.setChartStores([]);
  m.setFile('apps/db/deep/ns.yaml', undefined);
  assert.equal(seen(), 'missing missing [apps/web/a.yaml,apps/web/b.yaml]');
  assert.equal(calls, 5);
});

test('sweep drops the string-keyed values no one asked for since the previous sweep', () => {
  const m = model({});
  const q = counted(() => ({}));
  m.queries.get('q', 'old', [], q.compute);
  m.queries.get('q', 'kept', [], q.compute);
  m.queries.sweep('q');
  assert.equal(m.queries.kept('q').values, 2, 'asked for since the previous sweep (there was none)');
  m.queries.get('q', 'kept', [], q.compute);
  m.queries.sweep('q');
  assert.equal(m.queries.kept('q').values, 1);
  m.queries.get('q', 'old', [], q.compute);
  assert.equal(q.calls(), 3, "'old' was dropped: computed again");
  m.queries.get('q', 'kept', [], q.compute);
  assert.equal(q.calls(), 3, "'kept' was reused");
});

test('a new member of a family replaces the members no one asked for at this revision', () => {
  const m = model({ 'a.yaml': cm('a') });
  const q = counted(() => ({}));
  m.queries.get('q', 'x', [], q.compute, 'f');
  // Another variant asked for at the same revision: both are kept (two clusters' variables).
  m.queries.get('q', 'y', [], q.compute, 'f');
  m.queries.get('q', 'other', [], q.compute, 'g');
  assert.equal(m.queries.kept('q').values, 3);
  m.setFile('a.yaml', cm('b'));
  m.queries.get('q', 'x', [], q.compute, 'f');
  m.queries.get('q', 'z', [], q.compute, 'f');
  assert.deepEqual(m.queries.kept('q').values, 3, "'y' went when 'z' came; 'x' was asked for at this revision; another family is untouched");
  m.queries.get('q', 'y', [], q.compute, 'f');
  assert.equal(q.calls(), 5);
});
