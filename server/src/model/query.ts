// The one caching layer: what the model, rules and features reuse between checks, and why.
//
// A query is a name and a key, the value computed for them, and the inputs that value was computed
// from. It is reused while every input is the same, and computed again otherwise:
// - declared inputs (`inputs`) are compared by identity, element by element: the derived graph,
//   the layers, the registry, another query's value, a group of objects, a string. The model makes
//   a new object whenever what it stands for changes, so identity is equality;
// - files read through `read.file(path)` are checked against the model's change log
//   (`changedSince(revision)`): only the paths changed since the query was last validated are
//   looked at, and a path it read must still be the same YamlFile (the model makes a new one
//   whenever the text changes). When the log no longer reaches back, every file read is compared.
//   `read.kind(path)` and `read.listing(folder)` record what a path is and what a folder holds
//   (a build reads them), compared by value around each changed path; `read.content(path)` a
//   file's content as the model knows it (a YamlFile, or how often another file was read again).
// An object key (a YamlFile, a Resource's object, a group of built objects) is held weakly: its
// queries go with it. A string key (a rule id, 'all') lives as long as the model; a new value
// replaces the old one, so what the old one read is let go. Where string keys come and go (a
// build keyed by a Kustomization's spec), `sweep` drops those asked for by no one since the
// previous sweep, and a `family` of variants (a render with other variables) keeps only the
// members asked for at the current revision when a new one is computed.
//
// `perFile` is a family of queries, one value per YAML file, computed again only for the paths
// the change log names (all of them when its inputs change). `keyed` is a family of queries over
// any keys (a cluster's namespace groups, a namespace's budgets): each key's value is computed
// again when its parts are not the same objects or a file it read changed, and the values are
// joined into one array, the same while every value is. `derived` is a value of an immutable
// object alone, computed once per object, where no model is at hand (a schema's field names in
// schema/, the index of a list of components).
//
// Rules and features declare what they compute and from what; they never keep a cache themselves.
import { ancestors } from './paths';
import type { YamlFile } from './types';

/** What the query layer needs of the model: its files, its folders and its change log. */
export interface QuerySource {
  readonly revision: number;
  changedSince(revision: number): readonly string[] | undefined;
  file(path: string): YamlFile | undefined;
  readonly files: ReadonlyMap<string, YamlFile>;
  kindOf(path: string): string;
  children(folder: string): { files: string[]; folders: string[] };
  /** The YamlFile at `path`, else what the model knows of another file's content, or the path's kind. */
  contentState(path: string): unknown;
}

export type QueryKey = object | string | number;

/** Reads a query records: what of the workspace it depends on, beyond its declared inputs. */
export interface QueryReads {
  /** The model's YAML file at `path` (undefined when none), recorded as read. */
  file(path: string): YamlFile | undefined;
  /** Whether `path` is a file, a folder or missing (any file: its text is not kept), recorded as read. */
  kind(path: string): string;
  /** The files and folders directly in `folder`, recorded as read. */
  listing(folder: string): { files: string[]; folders: string[] };
  /**
   * What is at `path`, recorded as read: a YAML file by identity, another file by the model's count
   * of its re-reads (its text is not kept), else whether it is a folder or missing.
   */
  content(path: string): void;
  /** The value of another query (see Queries.get), recorded as read: this value holds while that one is still the value kept and holds (its inputs are the asker's to declare too). */
  query<T>(name: string, key: QueryKey, inputs: readonly unknown[], compute: (read: QueryReads, previous: T | undefined) => T, family?: string): T;
}

interface Entry {
  inputs: readonly unknown[];
  value: unknown;
  /** Files read, by path: the YamlFile seen (undefined: no file there). */
  reads?: Map<string, YamlFile | undefined>;
  /** Path kinds, folder listings and other files' content read (`kind\0path`, `list\0folder`, `content\0path`), as they were (a listing joined into a string). */
  states?: Map<string, string>;
  /** The model's revision when the reads were last known to hold. */
  revision: number;
  /** The table's generation (see sweep) and the model's revision when it was last asked for. */
  generation: number;
  usedAt: number;
  family?: string;
  /** Other queries' values it read (read.query): it holds while each is still the one kept, and holds. */
  deps?: Dependency[];
}

interface Dependency {
  table: Table;
  key: QueryKey;
  entry: Entry;
}

/** What a computation read (see recorder). */
interface Recorded {
  reads?: Map<string, YamlFile | undefined>;
  states?: Map<string, string>;
  deps?: Dependency[];
}

interface KeyedEntry {
  parts: readonly unknown[];
  value: readonly unknown[];
  reads?: Map<string, YamlFile | undefined>;
  states?: Map<string, string>;
}

interface KeyedTable {
  inputs: readonly unknown[];
  revision: number;
  entries: Map<string, KeyedEntry>;
  /** The keys in the order of the last call, and the values joined in that order. */
  order: string[];
  all: unknown[];
  /** Which keys read each path (a file, a path's kind, a folder's listing): a change there looks at those keys. */
  readers: Map<string, Set<string>>;
}

interface Table {
  byObject: WeakMap<object, Entry>;
  byValue: Map<string | number, Entry>;
  /** Bumped by each sweep. */
  generation: number;
  /** Family → the string keys of its members. */
  families?: Map<string, Set<string | number>>;
}

interface FileTable {
  inputs: readonly unknown[];
  revision: number;
  byPath: Map<string, unknown>;
  version: number;
}

/** What `perFile` returns: the values by path, and whether any went from or to non-empty since the last call. */
export interface PerFile<T> {
  byPath: ReadonlyMap<string, T>;
  changed: boolean;
  /** Changes whenever `changed` is true: an input for a query that joins the values. */
  version: number;
}

/** Element-wise identity of two input lists. */
export function sameInputs(a: readonly unknown[], b: readonly unknown[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export class Queries {
  private readonly tables = new Map<string, Table>();
  private readonly fileTables = new Map<string, FileTable>();
  private readonly keyedTables = new Map<string, KeyedTable>();
  private versions = 0;

  constructor(private readonly source: QuerySource) {}

  /**
   * The value of query `name` at `key`: computed by `compute`, then reused while `inputs` are the
   * same (by identity, element by element) and no file `compute` read through `read` changed.
   * `compute` gets the value it replaces, if any, to keep the parts of it that still hold (so
   * that whoever reads them by identity keeps what it made of them). `family` (string keys only):
   * the value is one variant of several (a render with given variables); a new member replaces
   * the members no one asked for at this revision.
   */
  get<T>(name: string, key: QueryKey, inputs: readonly unknown[], compute: (read: QueryReads, previous: T | undefined) => T, family?: string): T {
    const table = this.table(name);
    const entry = typeof key === 'object' ? table.byObject.get(key) : table.byValue.get(key);
    if (entry && sameInputs(entry.inputs, inputs) && this.readsHold(entry)) {
      entry.generation = table.generation;
      entry.usedAt = this.source.revision;
      return entry.value as T;
    }
    const recorded: Recorded = {};
    const revision = this.source.revision;
    const value = compute(this.recorder(recorded), entry?.value as T | undefined);
    const { reads, states, deps } = recorded;
    const fresh: Entry = { inputs, value, reads, states, deps, revision, generation: table.generation, usedAt: revision };
    if (typeof key === 'object') table.byObject.set(key, fresh);
    else {
      if (entry?.family !== undefined) this.leave(table, key, entry.family);
      if (family !== undefined) {
        const families = (table.families ??= new Map());
        for (const other of [...(families.get(family) ?? [])]) if (other !== key && table.byValue.get(other)!.usedAt < revision) this.drop(table, other);
        const members = families.get(family);
        if (members) members.add(key);
        else families.set(family, new Set([key]));
        fresh.family = family;
      }
      table.byValue.set(key, fresh);
    }
    return value;
  }

  /**
   * Drops the string-keyed values of query `name` no one asked for since the previous sweep (the
   * graph derived again asks for every build it needs: those it did not ask for are garbage).
   */
  sweep(name: string): void {
    const table = this.tables.get(name);
    if (!table) return;
    for (const [key, entry] of [...table.byValue]) if (entry.generation < table.generation) this.drop(table, key);
    table.generation++;
  }

  /** How many string-keyed values query `name` keeps, and how many distinct paths they read (tests). */
  kept(name: string): { values: number; paths: number } {
    const table = this.tables.get(name);
    const paths = new Set<string>();
    for (const entry of table?.byValue.values() ?? []) {
      for (const path of entry.reads?.keys() ?? []) paths.add(path);
      for (const state of entry.states?.keys() ?? []) paths.add(state.slice(state.indexOf('\0') + 1));
    }
    return { values: table?.byValue.size ?? 0, paths: paths.size };
  }

  private drop(table: Table, key: string | number): void {
    const entry = table.byValue.get(key);
    if (!entry) return;
    table.byValue.delete(key);
    if (entry.family !== undefined) this.leave(table, key, entry.family);
  }

  private leave(table: Table, key: string | number, family: string): void {
    const members = table.families?.get(family);
    members?.delete(key);
    if (members?.size === 0) table.families!.delete(family);
  }

  /**
   * The parts joined into one array: the same array as last time while every part is the same, so
   * whoever reads it (the check engine) can reuse what it made of it.
   */
  joined<T>(name: string, parts: readonly (readonly T[])[]): T[] {
    return this.get(name, '', parts, () => parts.flat() as T[]);
  }

  /**
   * A family of queries, one per key of `items`, joined: each key's value is `compute(key, parts,
   * read)`, reused while `parts` are the same objects (element by element), `inputs` are the same
   * and nothing it read through `read` changed. Values are joined in the order of `items`, into the
   * same array as last time while every key's value is the same; `equal` lets a value computed
   * again that says the same keep the old one (and so the joined array). A cost in proportion to
   * the keys (identities compared) and to what changed, not to what is computed.
   */
  keyed<T>(
    name: string,
    inputs: readonly unknown[],
    items: Iterable<readonly [key: string, parts: readonly unknown[]]>,
    compute: (key: string, parts: readonly unknown[], read: QueryReads) => readonly T[],
    equal: (before: readonly T[], after: readonly T[]) => boolean = sameInputs,
  ): T[] {
    let table = this.keyedTables.get(name);
    const changes = table && sameInputs(table.inputs, inputs) ? this.source.changedSince(table.revision) : undefined;
    if (!table || !changes) {
      // New inputs, or a change log that no longer reaches back: every key anew (values that say the same kept).
      const before = table && sameInputs(table.inputs, inputs) ? table.entries : undefined;
      table = { inputs, revision: this.source.revision, entries: new Map(), order: [], all: [], readers: new Map() };
      this.keyedTables.set(name, table);
      for (const [key, parts] of items) {
        const entry = this.keyedEntry(table, key, parts, compute);
        const old = before?.get(key);
        if (old && equal(old.value as T[], entry.value as T[])) entry.value = old.value;
        table.order.push(key);
      }
      table.all = table.order.flatMap((key) => table!.entries.get(key)!.value);
      return table.all as T[];
    }
    // The keys whose reads a change since the last call may have touched: a change at a path
    // changes its kind and the listing of every folder above it.
    const stale = new Set<string>();
    for (const path of new Set(changes)) {
      for (const at of [path, ...ancestors(path)]) for (const key of table.readers.get(at) ?? []) stale.add(key);
    }
    table.revision = this.source.revision;
    let changed = false;
    let position = 0;
    const seen = new Set<string>();
    for (const [key, parts] of items) {
      seen.add(key);
      if (table.order[position] !== key) changed = true;
      position++;
      const entry = table.entries.get(key);
      if (entry && sameInputs(entry.parts, parts) && !(stale.has(key) && !this.keyedHolds(entry))) continue;
      if (entry) this.unindex(table, key, entry);
      const fresh = this.keyedEntry(table, key, parts, compute);
      if (entry && equal(entry.value as T[], fresh.value as T[])) fresh.value = entry.value;
      else changed = true;
    }
    if (position !== table.order.length) changed = true;
    for (const [key, entry] of table.entries) {
      if (seen.has(key)) continue;
      this.unindex(table, key, entry);
      table.entries.delete(key);
      changed = true;
    }
    if (changed) {
      table.order = [...seen];
      table.all = table.order.flatMap((key) => table!.entries.get(key)!.value);
    }
    return table.all as T[];
  }

  private keyedEntry<T>(table: KeyedTable, key: string, parts: readonly unknown[], compute: (key: string, parts: readonly unknown[], read: QueryReads) => readonly T[]): KeyedEntry {
    const entry: KeyedEntry = { parts, value: [] };
    const note = (path: string) => {
      const keys = table.readers.get(path);
      if (keys) keys.add(key);
      else table.readers.set(path, new Set([key]));
    };
    entry.value = compute(key, parts, this.recorder(entry, note));
    table.entries.set(key, entry);
    return entry;
  }

  /**
   * The reads a computation is given: each records into `into` what it saw. With `note` (a keyed
   * family's index), each path read is told, and another query's reads are copied in; without, a
   * read query is a dependency (see readsHold).
   */
  private recorder(into: Recorded, note?: (path: string) => void): QueryReads {
    const state = (key: string, path: string, value: string) => {
      (into.states ??= new Map()).set(key, value);
      note?.(path);
    };
    return {
      file: (path) => {
        const file = this.source.file(path);
        (into.reads ??= new Map()).set(path, file);
        note?.(path);
        return file;
      },
      kind: (path) => {
        const kind = this.source.kindOf(path);
        state(`kind\0${path}`, path, kind);
        return kind;
      },
      listing: (folder) => {
        const listing = this.source.children(folder);
        state(`list\0${folder}`, folder, listingKey(listing));
        return listing;
      },
      content: (path) => {
        const now = this.source.contentState(path);
        if (typeof now === 'string') state(`content\0${path}`, path, now);
        else {
          (into.reads ??= new Map()).set(path, now as YamlFile);
          note?.(path);
        }
      },
      query: (name, key, inputs, compute, family) => {
        const value = this.get(name, key, inputs, compute, family);
        const table = this.table(name);
        const inner = typeof key === 'object' ? table.byObject.get(key) : table.byValue.get(key);
        if (!inner) return value;
        // A dependency on the other value, not a copy of what it read: asking it again is cheap.
        if (!note) (into.deps ??= []).push({ table, key, entry: inner });
        else {
          for (const [path, file] of inner.reads ?? []) {
            (into.reads ??= new Map()).set(path, file);
            note(path);
          }
          for (const [key, was] of inner.states ?? []) state(key, key.slice(key.indexOf('\0') + 1), was);
        }
        return value;
      },
    };
  }

  /** Whether every file, kind and listing a keyed entry read is as it saw it. */
  private keyedHolds(entry: KeyedEntry): boolean {
    for (const [path, file] of entry.reads ?? []) if (this.source.file(path) !== file) return false;
    for (const [key, before] of entry.states ?? []) {
      const at = key.slice(key.indexOf('\0') + 1);
      const now = key.startsWith('content\0') ? contentKey(this.source.contentState(at)) : key.startsWith('kind\0') ? this.source.kindOf(at) : listingKey(this.source.children(at));
      if (now !== before) return false;
    }
    return true;
  }

  private unindex(table: KeyedTable, key: string, entry: KeyedEntry): void {
    const paths = [...(entry.reads?.keys() ?? []), ...[...(entry.states?.keys() ?? [])].map((k) => k.slice(k.indexOf('\0') + 1))];
    for (const path of paths) {
      const keys = table.readers.get(path);
      keys?.delete(key);
      if (keys?.size === 0) table.readers.delete(path);
    }
  }

  /**
   * One value per YAML file, computed again only for the files changed since the last call (every
   * file when `inputs` changed, e.g. the derived graph was rebuilt). `changed` says whether any
   * value went from or to non-empty, and `version` changes with it: a query that joins the values
   * takes it as an input, and so keeps its value while they say the same.
   */
  perFile<T>(name: string, inputs: readonly unknown[], compute: (file: YamlFile) => T, isEmpty: (value: T) => boolean): PerFile<T> {
    const state = this.fileTables.get(name);
    const changes = state && sameInputs(state.inputs, inputs) ? this.source.changedSince(state.revision) : undefined;
    if (!state || !changes) {
      const byPath = new Map<string, T>();
      for (const [path, file] of this.source.files) byPath.set(path, compute(file));
      const version = ++this.versions;
      this.fileTables.set(name, { inputs, revision: this.source.revision, byPath, version });
      return { byPath, changed: true, version };
    }
    const byPath = state.byPath as Map<string, T>;
    let changed = false;
    for (const path of new Set(changes)) {
      const file = this.source.file(path);
      const before = byPath.get(path);
      const value = file ? compute(file) : undefined;
      if ((before !== undefined && !isEmpty(before)) || (value !== undefined && !isEmpty(value))) changed = true;
      if (value === undefined) byPath.delete(path);
      else byPath.set(path, value);
    }
    state.revision = this.source.revision;
    if (changed) state.version = ++this.versions;
    return { byPath, changed, version: state.version };
  }

  private table(name: string): Table {
    let table = this.tables.get(name);
    if (!table) this.tables.set(name, (table = { byObject: new WeakMap(), byValue: new Map(), generation: 0 }));
    return table;
  }

  /**
   * Whether everything an entry read is as it saw it: from the change log when it reaches back (a
   * change at a path can change the kind and listing of the path and of its folders), else by
   * looking at every read again.
   */
  private readsHold(entry: Entry): boolean {
    const { reads, states, deps } = entry;
    if (!reads && !states && !deps) return true;
    const revision = this.source.revision;
    if (entry.revision === revision) return true;
    if (deps) {
      for (const dep of deps) {
        const current = typeof dep.key === 'object' ? dep.table.byObject.get(dep.key) : dep.table.byValue.get(dep.key);
        if (current !== dep.entry || !this.readsHold(dep.entry)) return false;
      }
      if (!reads && !states) {
        entry.revision = revision;
        return true;
      }
    }
    const changes = this.source.changedSince(entry.revision);
    const sameFile = (path: string) => !reads || !reads.has(path) || this.source.file(path) === reads.get(path);
    const sameState = (key: string) => {
      const before = states?.get(key);
      if (before === undefined) return true;
      const at = key.slice(key.indexOf('\0') + 1);
      if (key.startsWith('content\0')) return contentKey(this.source.contentState(at)) === before;
      return (key.startsWith('kind\0') ? this.source.kindOf(at) : listingKey(this.source.children(at))) === before;
    };
    const around = (path: string) => [path, ...ancestors(path)].every((p) => sameState(`kind\0${p}`) && sameState(`list\0${p}`) && sameState(`content\0${p}`));
    const holds = changes ? changes.every((path) => sameFile(path) && (!states || around(path))) : [...(reads?.keys() ?? [])].every(sameFile) && [...(states?.keys() ?? [])].every(sameState);
    if (holds) entry.revision = revision;
    return holds;
  }
}

/** Another file's content state as recorded (a YAML file there now is a change). */
function contentKey(state: unknown): string {
  return typeof state === 'string' ? state : '\0yaml';
}

function listingKey(listing: { files: string[]; folders: string[] }): string {
  return `${listing.files.join('\n')}\n\n${listing.folders.join('\n')}`;
}

/**
 * A function of an immutable object alone, computed once per object (held weakly), where no model
 * is at hand (a schema's field names, a list of components' index). Whatever reads the model goes
 * through the model's `queries`.
 */
export function derived<K extends object, V>(compute: (key: K) => V): (key: K) => V {
  const values = new WeakMap<K, V>();
  return (key) => {
    if (values.has(key)) return values.get(key)!;
    const value = compute(key);
    values.set(key, value);
    return value;
  };
}
