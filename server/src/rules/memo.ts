// Memo helpers that let a rule redo only what an edit touched: per group of objects (whose
// identity holds while its objects are unchanged), per file (from the model's change log), and
// joined results that stay the same array while their parts do, so the engine reuses them too.
import type { RepoModel } from '../model/model';
import type { YamlFile } from '../model/types';
import type { RuleFinding } from './types';

const groupMemos = new WeakMap<RepoModel, Map<string, WeakMap<object, { inputs: readonly unknown[]; value: unknown }>>>();

/**
 * A value computed for one group of objects (a list from objectGroups or budgetsByNamespace, a
 * budget), reused while the group is the same object and every other input is the same.
 */
export function perGroup<T>(model: RepoModel, table: string, group: object, inputs: readonly unknown[], compute: () => T): T {
  let tables = groupMemos.get(model);
  if (!tables) groupMemos.set(model, (tables = new Map()));
  let memo = tables.get(table);
  if (!memo) tables.set(table, (memo = new WeakMap()));
  const cached = memo.get(group);
  if (cached && cached.inputs.length === inputs.length && cached.inputs.every((input, i) => input === inputs[i])) return cached.value as T;
  const value = compute();
  memo.set(group, { inputs, value });
  return value;
}

const concatenations = new WeakMap<RepoModel, Map<string, { parts: readonly unknown[][]; all: unknown[] }>>();

/** The parts joined; the same array as last time when every part is, so the engine can reuse what it made of it. */
export function stableConcat<T>(model: RepoModel, table: string, parts: T[][]): T[] {
  let tables = concatenations.get(model);
  if (!tables) concatenations.set(model, (tables = new Map()));
  const previous = tables.get(table);
  if (previous && previous.parts.length === parts.length && previous.parts.every((p, i) => p === parts[i])) return previous.all as T[];
  const all = parts.flat();
  tables.set(table, { parts, all });
  return all;
}

/** The findings of keyed findings, the first of each key only (a document seen in several clusters). */
export function onePerKey(found: ReadonlyArray<{ key: string; finding: RuleFinding }>): RuleFinding[] {
  const seen = new Set<string>();
  const findings: RuleFinding[] = [];
  for (const { key, finding } of found) {
    if (seen.has(key)) continue;
    seen.add(key);
    findings.push(finding);
  }
  return findings;
}

interface FileTable {
  graph: object;
  revision: number;
  byPath: Map<string, unknown>;
}
const fileTables = new WeakMap<RepoModel, Map<string, FileTable>>();

/**
 * A value per YAML file, computed again only for the files changed since the last call (all of
 * them after the derived graph was rebuilt). `changed` tells whether any value went from or to
 * non-empty, so a caller can keep what it joined from them.
 */
export function perFile<T>(model: RepoModel, table: string, compute: (file: YamlFile) => T, isEmpty: (value: T) => boolean): { byPath: Map<string, T>; changed: boolean } {
  let tables = fileTables.get(model);
  if (!tables) fileTables.set(model, (tables = new Map()));
  const graph = model.graph;
  const state = tables.get(table);
  const changes = state && state.graph === graph ? model.changedSince(state.revision) : undefined;
  if (!state || !changes) {
    const byPath = new Map<string, T>();
    for (const [path, file] of model.files) byPath.set(path, compute(file));
    tables.set(table, { graph, revision: model.revision, byPath });
    return { byPath, changed: true };
  }
  const byPath = state.byPath as Map<string, T>;
  let changed = false;
  for (const path of new Set(changes)) {
    const file = model.file(path);
    const before = byPath.get(path);
    const value = file ? compute(file) : undefined;
    if ((before !== undefined && !isEmpty(before)) || (value !== undefined && !isEmpty(value))) changed = true;
    if (value === undefined) byPath.delete(path);
    else byPath.set(path, value);
  }
  state.revision = model.revision;
  return { byPath, changed };
}
