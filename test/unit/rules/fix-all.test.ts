// source.fixAll: the safe fixes of one file as one edit, never two edits at one place.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fixAllAction, FIX_ALL_KIND } from '../../../server/src/features/diagnostics';
import type { Finding, Fix } from '../../../server/src/rules/types';

const range = (line: number, from: number, to = from) => ({ start: { line, character: from }, end: { line, character: to } });
const finding = (rule: string, fix: Fix): Finding => ({ rule, severity: 'warning', message: rule, file: 'a.yaml', range: range(0, 0), fixes: [fix] });
const edit = (title: string, line: number, from: number, to = from, extra: Partial<Fix> = {}): Fix => ({
  title,
  safe: true,
  changes: [{ kind: 'edit', file: 'a.yaml', edits: [{ range: range(line, from, to), newText: title }] }],
  ...extra,
});

test('fix all takes every safe edit of the file, skipping clashes, unsafe fixes, other files and a second ordering fix', () => {
  const action = fixAllAction('/repo', 'a.yaml', [
    finding('r/one', edit('one', 1, 0, 4)),
    finding('r/two', edit('two', 1, 2, 6)), // overlaps one
    finding('r/three', edit('three', 3, 0)),
    finding('r/four', edit('four', 3, 0)), // same insertion point as three
    finding('r/five', edit('five', 5, 0, 0, { safe: false })),
    finding('r/six', { title: 'six', safe: true, changes: [{ kind: 'edit', file: 'b.yaml', edits: [{ range: range(0, 0), newText: 'x' }] }] }),
    finding('r/seven', { title: 'seven', safe: true, changes: [{ kind: 'create', file: 'c.yaml', text: 'x' }] }),
    finding('r/eight', edit('eight', 7, 0, 0, { exclusive: true })),
    finding('r/nine', edit('nine', 8, 0, 0, { exclusive: true })),
    finding('r/ten', edit('ten', 9, 0)),
  ])!;
  assert.equal(action.kind, FIX_ALL_KIND);
  assert.equal(FIX_ALL_KIND, 'source.fixAll.gitops-guardrails');
  const [change] = action.edit!.documentChanges as any[];
  assert.equal(change.textDocument.uri, 'file:///repo/a.yaml');
  assert.deepEqual(change.edits.map((e: any) => e.newText), ['one', 'three', 'eight', 'ten']);
  assert.equal(fixAllAction('/repo', 'a.yaml', [finding('r/five', edit('five', 5, 0, 0, { safe: false }))]), undefined);
});
