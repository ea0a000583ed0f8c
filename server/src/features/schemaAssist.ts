// Schema assistance: hover on a field shows its type, whether it is required, its allowed values
// and its description; completion offers the fields allowed where the cursor is and the values of
// an enum. Answers come from the schema engine (Kubernetes, kustomize, Flux and the repository's
// CRDs) through the model's registry.
//
// Hover reads the parsed AST (cursor.ts), which gives exact ranges. Completion reads indentation
// instead: while a document is being typed the AST puts an empty line at the document root or in
// the wrong map, but the lines above the cursor still say which map it is in.
import { isMap, isScalar, stringify } from 'yaml';
import {
  CompletionItemKind,
  CompletionItemTag,
  InsertTextFormat,
  InsertTextMode,
  MarkupKind,
  type CompletionItem,
  type Hover,
  type MarkupContent,
} from 'vscode-languageserver';
import type { RepoModel } from '../model/model';
import { isKustomizationFileName } from '../model/parse';
import type { Position, Range } from '../model/types';
import { registryFor } from '../model/schemas';
import { FLUX_HELM_GROUP } from '../model/flux';
import { DEPRECATED_KUSTOMIZE_FIELDS, describeAt, fieldsAtPath, isPlaceholder, type Completions, type DeprecatedKustomizeField, type DocumentPath, type FieldDescription } from '../schema/index';
import type { SchemaRoot } from '../schema/walk';
import { valuesRootOf } from './chartValues';
import { cursorAt, scalarRange } from './cursor';

/** At most this many paragraphs of a description, and about this many characters. */
const MAX_PARAGRAPHS = 3;
const MAX_CHARACTERS = 1200;

/** The apiVersion and kind a document is described by, or undefined when it has no schema. */
interface Target {
  describe(path: DocumentPath): FieldDescription | undefined;
  fieldsAt(path: DocumentPath): Completions | undefined;
  /** kustomize's Kustomization (kustomization.yaml), whose deprecated fields are known. */
  kustomize: boolean;
  /** Inside a HelmRelease's `spec.values` with its chart resolved: defaults are shown. */
  inValues(path: DocumentPath): boolean;
}

const VALUES: DocumentPath = ['spec', 'values'];

/**
 * The schema of a document: its kind's, and inside a HelmRelease's `spec.values` its chart's
 * values (`releaseName` read from the document, parsed or not).
 */
function targetOf(model: RepoModel, file: string, apiVersion: string, kind: string, releaseName?: () => string | undefined): Target | undefined {
  const kustomizeFile = isKustomizationFileName(file) && (!apiVersion || apiVersion.startsWith('kustomize.config.k8s.io/'));
  if (kustomizeFile) kind = 'Kustomization';
  else if (!apiVersion || !kind) return undefined;
  if (isPlaceholder(apiVersion) || isPlaceholder(kind)) return undefined;
  const registry = registryFor(model);
  if (!registry.describe(apiVersion, kind, [])) return undefined;
  let values: SchemaRoot | undefined | null = kind === 'HelmRelease' && apiVersion.startsWith(FLUX_HELM_GROUP) && releaseName ? undefined : null;
  const valuesRoot = () => {
    if (values === undefined) {
      const name = releaseName!();
      values = (name && valuesRootOf(model, file, name)) || null;
    }
    return values ?? undefined;
  };
  const inValues = (path: DocumentPath) => path.length >= 2 && path[0] === VALUES[0] && path[1] === VALUES[1] && valuesRoot() !== undefined;
  return {
    describe: (path) => (inValues(path) && path.length > 2 ? describeAt(valuesRoot()!, path.slice(2)) : registry.describe(apiVersion, kind, path)),
    fieldsAt: (path) => (inValues(path) ? fieldsAtPath(valuesRoot()!, path.slice(2)) : registry.fieldsAt(apiVersion, kind, path)),
    kustomize: kustomizeFile || apiVersion.startsWith('kustomize.config.k8s.io/'),
    inValues,
  };
}

/** A top-level kustomization field kustomize deprecates, with what replaces it. */
function kustomizeDeprecation(target: Target, path: DocumentPath): DeprecatedKustomizeField | undefined {
  if (!target.kustomize || path.length !== 1) return undefined;
  return DEPRECATED_KUSTOMIZE_FIELDS.find((d) => d.field === path[0]);
}

function deprecationText(d: DeprecatedKustomizeField): string {
  return `**Deprecated**: use \`${d.replacement}\`. ${d.rewrite}`;
}

// ---------------------------------------------------------------------------------------------
// Hover

/** Hover on a key or a scalar value of a document whose kind has a schema. */
export function schemaHover(model: RepoModel, path: string, position: Position): Hover | undefined {
  const file = model.file(path);
  const cursor = file && cursorAt(file, position);
  if (!file || !cursor || !isScalar(cursor.node) || cursor.path.length === 0) return undefined;
  // An encrypted value belongs to the SOPS hover.
  if (!cursor.onKey && typeof cursor.node.value === 'string' && /^ENC\[/.test(cursor.node.value)) return undefined;
  const top = cursor.document.contents;
  const target = targetOf(model, path, cursor.apiVersion, cursor.kind, () => {
    const name = isMap(top) ? top.getIn(['metadata', 'name']) : undefined;
    return typeof name === 'string' ? name : undefined;
  });
  if (!target) return undefined;
  let fieldPath: DocumentPath = cursor.path;
  // A key of a free-form map (labels, data) is described by its map.
  const parent = fieldPath.length > 1 ? target.describe(fieldPath.slice(0, -1)) : undefined;
  if (parent && typeof fieldPath[fieldPath.length - 1] === 'string' && parent.type.startsWith('map[')) fieldPath = fieldPath.slice(0, -1);
  const field = target.describe(fieldPath);
  if (!field) return undefined;
  // A list item without a description of its own: its list's.
  if (!field.description && typeof fieldPath[fieldPath.length - 1] === 'number') {
    const list = target.describe(fieldPath.slice(0, -1));
    if (list?.description) field.description = list.description;
  }
  const header = `\`${displayPath(fieldPath)}\` \`<${field.type}>\`${isRequired(target, fieldPath) ? ' · required' : ''}`;
  const deprecated = kustomizeDeprecation(target, fieldPath);
  const range: Range = scalarRange(file, cursor.node);
  const value = [header, ...(deprecated ? [deprecationText(deprecated)] : []), ...fieldText(field, target.inValues(fieldPath))].join('\n\n');
  return { contents: { kind: MarkupKind.Markdown, value }, range };
}

/** `spec.template.spec.containers[].imagePullPolicy`. */
function displayPath(path: DocumentPath): string {
  let out = '';
  for (const step of path) out += typeof step === 'number' ? '[]' : `${out ? '.' : ''}${step}`;
  return out;
}

function isRequired(target: Target, path: DocumentPath): boolean {
  const name = path[path.length - 1];
  if (typeof name !== 'string') return false;
  const owner = target.fieldsAt(path.slice(0, -1));
  return owner?.fields.some((f) => f.name === name && f.required) ?? false;
}

/** The allowed values, the default (chart values) and the trimmed description, as markdown paragraphs. */
function fieldText(field: FieldDescription, withDefault = false): string[] {
  const out: string[] = [];
  if (field.enum?.length) out.push(`Allowed values: ${field.enum.map((v) => `\`${String(v)}\``).join(' · ')}`);
  if (withDefault && field.default !== undefined) out.push(`Default: ${defaultText(field.default)}`);
  if (field.description) out.push(trimDescription(field.description));
  return out;
}

/** A default value inline (`1`, `"nginx"`) or as a short YAML block. */
function defaultText(value: unknown): string {
  const text = stringify(value).trimEnd();
  if (!text.includes('\n')) return `\`${text.length > 120 ? `${text.slice(0, 120)}…` : text}\``;
  const lines = text.split('\n');
  return `\n\n\`\`\`yaml\n${lines.slice(0, 12).join('\n')}${lines.length > 12 ? '\n# …' : ''}\n\`\`\``;
}

function trimDescription(description: string): string {
  const paragraphs = description.trim().split(/\n\s*\n/).map((p) => p.trim()).filter(Boolean);
  let text = paragraphs.slice(0, MAX_PARAGRAPHS).join('\n\n');
  let cut = paragraphs.length > MAX_PARAGRAPHS;
  if (text.length > MAX_CHARACTERS) {
    const end = text.lastIndexOf(' ', MAX_CHARACTERS);
    text = text.slice(0, end > 0 ? end : MAX_CHARACTERS);
    cut = true;
  }
  return cut ? `${text} …` : text;
}

// ---------------------------------------------------------------------------------------------
// Completion

/**
 * Field names at a key position (an empty line, a partial key, the first key of a new list item),
 * the allowed values after `key: ` or of a list item.
 */
export function schemaCompletion(model: RepoModel, path: string, position: Position): CompletionItem[] {
  const file = model.file(path);
  if (!file) return [];
  const lines = file.text.split('\n').map((l) => l.replace(/\r$/, ''));
  if (position.line >= lines.length) return [];
  const text = new DocumentLines(lines, position.line);
  const { apiVersion, kind } = text.header();
  const target = targetOf(model, path, apiVersion, kind, () => text.metadataName());
  if (!target) return [];
  const line = lines[position.line];
  const character = Math.min(position.character, line.length);
  const before = line.slice(0, character);
  const after = line.slice(character);
  return valueItems(target, text, position.line, before, after) ?? keyItems(target, text, position.line, before, after);
}

/** After `key: ` (a plain or quoted value being typed): the values the schema allows. */
function valueItems(target: Target, text: DocumentLines, lineNo: number, before: string, after: string): CompletionItem[] | undefined {
  const entries = entriesOf(before);
  const last = entries[entries.length - 1];
  if (!last || last.kind !== 'key' || last.valueStart === undefined) return undefined;
  if (before.endsWith(':')) return [];
  const typed = before.slice(last.valueStart);
  const quote = /^["']/.exec(typed)?.[0];
  // A comment, a flow collection, a block string, an anchor, an alias or a tag: no value to offer.
  if (/^[[{|>&*!#]/.test(typed) || / #|: /.test(typed) || (quote ? typed.slice(1).includes(quote) : /\s/.test(typed))) return [];
  const path = text.resolve(lineNo, entries, entries.length - 1);
  if (!path) return [];
  const start = last.valueStart + (quote ? 1 : 0);
  const rest = quote ? new RegExp(`^[^${quote}]*`).exec(after)![0] : /^[^\s#]*/.exec(after)![0];
  const range: Range = { start: { line: lineNo, character: start }, end: { line: lineNo, character: before.length + rest.length } };
  return enumItems(target, path, range, quote !== undefined);
}

function enumItems(target: Target, path: DocumentPath, range: Range, quoted: boolean): CompletionItem[] {
  const field = target.describe(path);
  const values = target.fieldsAt(path)?.values ?? [];
  return values.map((value, i) => {
    const label = String(value);
    const newText = quoted || typeof value !== 'string' ? label : stringify(value).trimEnd();
    return {
      label,
      kind: typeof value === 'string' ? CompletionItemKind.EnumMember : CompletionItemKind.Value,
      detail: field?.type,
      documentation: field?.description ? markdown(trimDescription(field.description)) : undefined,
      sortText: String(i).padStart(3, '0'),
      textEdit: { range, newText },
    };
  });
}

/** At a key position: the fields of the map the cursor is in that it does not hold yet. */
function keyItems(target: Target, text: DocumentLines, lineNo: number, before: string, after: string): CompletionItem[] {
  // Leading spaces and `- ` markers, then the key typed so far.
  const markers: Entry[] = [];
  let i = /^ */.exec(before)![0].length;
  while (before[i] === '-' && (before[i + 1] === ' ' || before[i + 1] === '\t')) {
    markers.push({ col: i, kind: 'item' });
    i += 1 + /^[ \t]*/.exec(before.slice(i + 1))![0].length;
  }
  const typed = before.slice(i);
  if (!/^[A-Za-z0-9_.\-/$]*$/.test(typed) || (typed.startsWith('-') && markers.length === 0 && typed.length === 1)) return [];
  const wordAfter = /^[A-Za-z0-9_.\-/$]*/.exec(after)![0];
  const hasColon = /^\s*:/.test(after.slice(wordAfter.length));
  const range: Range = { start: { line: lineNo, character: i }, end: { line: lineNo, character: before.length + wordAfter.length } };
  const col = i;
  let container: DocumentPath | undefined;
  if (markers.length > 0) container = text.resolve(lineNo, markers, markers.length - 1);
  else container = text.containerOf(lineNo, col, []);
  if (!container) return [];
  const described = target.describe(container);
  const completions = target.fieldsAt(container);
  if (!described || !completions) return [];
  // A list item being typed whose items are values, not objects.
  if (completions.fields.length === 0 && markers.length > 0 && !hasColon) return enumItems(target, container, range, false);
  // Below a list's key without a `- `: the fields of a new item, with the marker.
  const newItem = markers.length === 0 && described.type.startsWith('[]');
  const present = newItem ? new Set<string>() : text.keysAt(lineNo, col, markers.length > 0);
  // `status` is the controller's to write.
  const fields = completions.fields.filter((f) => !present.has(f.name) && !f.name.startsWith('$') && !(container.length === 0 && f.name === 'status'));
  const keyCol = newItem ? col + 2 : col;
  return fields.map((f) => {
    const replaced = kustomizeDeprecation(target, [...container, f.name]);
    const deprecated = replaced !== undefined || (f.description !== undefined && /^deprecated/i.test(f.description.trim()));
    const serverSet = f.description !== undefined && SERVER_SET.test(f.description);
    const documentation = [...(replaced ? [deprecationText(replaced)] : []), ...fieldText(f, target.inValues(container))];
    const item: CompletionItem = {
      label: f.name,
      kind: CompletionItemKind.Field,
      detail: f.type,
      labelDetails: f.required ? { description: 'required' } : undefined,
      documentation: documentation.length > 0 ? markdown(documentation.join('\n\n')) : undefined,
      sortText: `${deprecated || serverSet ? 2 : f.required ? 0 : 1}${f.name}`,
      filterText: f.name,
    };
    if (deprecated) item.tags = [CompletionItemTag.Deprecated];
    const prefix = newItem ? '- ' : '';
    if (hasColon) {
      item.textEdit = { range, newText: `${prefix}${f.name}` };
    } else if (f.type.startsWith('[]') || (f.type !== 'any' && !isScalarType(f.type))) {
      // A block below the key: `- ` for a list, an indented line for a map or an object.
      const indent = ' '.repeat(keyCol + 2);
      item.textEdit = { range, newText: `${prefix}${snippetEscape(f.name)}:\n${indent}${f.type.startsWith('[]') ? '- ' : ''}$0` };
      item.insertTextFormat = InsertTextFormat.Snippet;
      item.insertTextMode = InsertTextMode.asIs;
    } else {
      item.textEdit = { range, newText: `${prefix}${f.name}: ` };
      if (f.enum?.length || f.type === 'boolean') item.command = { title: 'Suggest values', command: 'editor.action.triggerSuggest' };
    }
    return item;
  }).sort((a, b) => a.sortText!.localeCompare(b.sortText!));
}

/** What the API server writes (uid, resourceVersion, managedFields ...): offered last. */
const SERVER_SET = /(^|\. )Read-only\.( |$)|users typically shouldn't need to set/;

const SCALAR_TYPES = new Set(['string', 'integer', 'number', 'boolean', 'int-or-string', 'Quantity', 'Time']);

function isScalarType(type: string): boolean {
  return SCALAR_TYPES.has(type) || type.includes(' or ');
}

function snippetEscape(text: string): string {
  return text.replace(/[\\$}]/g, (c) => `\\${c}`);
}

function markdown(value: string): MarkupContent {
  return { kind: MarkupKind.Markdown, value };
}

/**
 * Existing completions first, then the schema's that they do not already offer. Sort texts keep
 * that order in the editor, which sorts by them.
 */
export function withSchemaItems(named: CompletionItem[], schema: CompletionItem[]): CompletionItem[] {
  if (named.length === 0) return schema;
  const labels = new Set(named.map((i) => i.label));
  const extra = schema.filter((i) => !labels.has(i.label));
  if (extra.length === 0) return named;
  return [
    ...named.map((i) => ({ ...i, sortText: `0${i.sortText ?? i.label}` })),
    ...extra.map((i) => ({ ...i, sortText: `1${i.sortText ?? i.label}` })),
  ];
}

// ---------------------------------------------------------------------------------------------
// Indentation: which map or list a line belongs to, from the lines above it.

/** What a line opens at a column: a list item (`- `), a key (`name:`), or a plain value. */
interface Entry {
  col: number;
  kind: 'item' | 'key' | 'scalar';
  key?: string;
  /** The inline value after the key (comment excluded, trimmed). */
  value?: string;
  /** Column where the value starts (after `: ` and spaces), for a key. */
  valueStart?: number;
}

const KEY = /^(?:"((?:[^"\\]|\\.)*)"|'((?:[^']|'')*)'|([^\s#'"{}[\]&*!|>%@`][^#]*?))[ \t]*:(?=[ \t]|$)/;

function entriesOf(line: string): Entry[] {
  const out: Entry[] = [];
  let i = /^[ \t]*/.exec(line)![0].length;
  for (;;) {
    if (line[i] === '-' && (i + 1 === line.length || line[i + 1] === ' ' || line[i + 1] === '\t')) {
      out.push({ col: i, kind: 'item' });
      i += 1 + /^[ \t]*/.exec(line.slice(i + 1))![0].length;
      continue;
    }
    break;
  }
  const rest = line.slice(i);
  if (!rest || rest.startsWith('#')) return out;
  const key = KEY.exec(rest);
  if (!key) {
    out.push({ col: i, kind: 'scalar' });
    return out;
  }
  const name = key[1] !== undefined ? key[1].replace(/\\(.)/g, '$1') : key[2] !== undefined ? key[2].replace(/''/g, "'") : key[3];
  const afterColon = rest.slice(key[0].length);
  const valueStart = i + key[0].length + /^[ \t]*/.exec(afterColon)![0].length;
  const value = afterColon.replace(/(^|[ \t])#.*$/, '').trim();
  out.push({ col: i, kind: 'key', key: name, value, valueStart });
  return out;
}

/** The lines of the document around one line (between `---` separators), read by indentation. */
class DocumentLines {
  private readonly start: number;
  private readonly end: number;
  private readonly cache = new Map<number, Entry[]>();

  constructor(
    private readonly lines: string[],
    line: number,
  ) {
    let start = line;
    while (start > 0 && !/^---([ \t]|$)/.test(lines[start - 1])) start--;
    if (/^---([ \t]|$)/.test(lines[line])) start = line + 1;
    let end = line + 1;
    while (end < lines.length && !/^(---|\.\.\.)([ \t]|$)/.test(lines[end])) end++;
    this.start = start;
    this.end = end;
  }

  /** Top-level `apiVersion` and `kind`, read from the text so a half-typed document has them. */
  header(): { apiVersion: string; kind: string } {
    const out = { apiVersion: '', kind: '' };
    for (let l = this.start; l < this.end; l++) {
      const [first] = this.entries(l);
      if (first?.kind === 'key' && first.col === 0 && (first.key === 'apiVersion' || first.key === 'kind')) {
        out[first.key] = (first.value ?? '').replace(/^(["'])(.*)\1$/, '$2');
      }
    }
    return out;
  }

  /** `metadata.name`, read from the text. */
  metadataName(): string | undefined {
    let inMetadata = false;
    for (let l = this.start; l < this.end; l++) {
      const [first] = this.entries(l);
      if (!first || first.kind !== 'key') continue;
      if (first.col === 0) inMetadata = first.key === 'metadata';
      else if (inMetadata && first.key === 'name' && first.value) return first.value.replace(/^(["'])(.*)\1$/, '$2');
    }
    return undefined;
  }

  private entries(line: number): Entry[] {
    let entries = this.cache.get(line);
    if (!entries) {
      entries = entriesOf(this.lines[line]);
      this.cache.set(line, entries);
    }
    return entries;
  }

  /** The path of the node `entries[index]` of a line opens (a key, or a list item). */
  resolve(line: number, entries: Entry[], index: number): DocumentPath | undefined {
    const entry = entries[index];
    if (entry.kind === 'key') {
      const container = this.containerOf(line, entry.col, entries.slice(0, index));
      return container && [...container, entry.key!];
    }
    if (entry.kind === 'item') {
      const list = this.listOf(line, entry.col, entries.slice(0, index));
      return list && [...list.path, list.index];
    }
    return undefined;
  }

  /** The path of the map holding a key at `col` of `line`, preceded on its line by `before`. */
  containerOf(line: number, col: number, before: Entry[]): DocumentPath | undefined {
    if (before.length > 0) {
      const last = before.length - 1;
      return before[last].kind === 'item' ? this.resolve(line, before, last) : undefined;
    }
    for (let l = line - 1; l >= this.start; l--) {
      const entries = this.entries(l);
      if (entries.length === 0 || entries[0].col > col) continue;
      const at = entries.findIndex((e) => e.col === col);
      if (at >= 0) {
        if (entries[at].kind === 'item') continue; // a list below a sibling key
        if (at === 0) continue; // a sibling key, or one being typed
        if (entries[at].kind !== 'key') return undefined;
        return entries[at - 1].kind === 'item' ? this.resolve(l, entries, at - 1) : undefined;
      }
      const parent = lastBefore(entries, col);
      if (parent < 0) return undefined;
      const entry = entries[parent];
      if (entry.kind === 'item') return this.resolve(l, entries, parent);
      if (entry.kind === 'key' && isOpen(entry.value)) return this.resolve(l, entries, parent);
      return undefined;
    }
    return [];
  }

  /** The path of the list holding an item at `col` of `line`, and the item's index. */
  private listOf(line: number, col: number, before: Entry[]): { path: DocumentPath; index: number } | undefined {
    if (before.length > 0) {
      const last = before.length - 1;
      const path = before[last].kind === 'item' ? this.resolve(line, before, last) : undefined;
      return path && { path, index: 0 };
    }
    let index = 0;
    for (let l = line - 1; l >= this.start; l--) {
      const entries = this.entries(l);
      if (entries.length === 0 || entries[0].col > col) continue;
      const at = entries.findIndex((e) => e.col === col);
      if (at >= 0 && entries[at].kind === 'item') {
        index++;
        if (at === 0) continue; // a sibling item
        // The list starts on this line, inside an item of an outer list.
        const path = entries[at - 1].kind === 'item' ? this.resolve(l, entries, at - 1) : undefined;
        return path && { path, index: index - 1 };
      }
      const parent = at >= 0 ? at : lastBefore(entries, col);
      if (parent < 0) return undefined;
      const entry = entries[parent];
      if (entry.kind === 'key' && isOpen(entry.value)) {
        const path = this.resolve(l, entries, parent);
        return path && { path, index };
      }
      if (entry.kind === 'item' && entry.col < col) {
        const path = this.resolve(l, entries, parent);
        return path && { path, index };
      }
      return undefined;
    }
    return undefined;
  }

  /**
   * Keys already written in the map that holds a key at `col` of `line` (the line itself
   * excluded); `startsHere` when that map is a list item opened on this line.
   */
  keysAt(line: number, col: number, startsHere: boolean): Set<string> {
    const keys = new Set<string>();
    if (!startsHere) {
      for (let l = line - 1; l >= this.start; l--) {
        const entries = this.entries(l);
        if (entries.length === 0 || entries[0].col > col) continue;
        const at = entries.findIndex((e) => e.col === col);
        if (at < 0) break;
        if (entries[at].kind === 'item') continue;
        if (entries[at].kind === 'key') keys.add(entries[at].key!);
        if (at > 0) break; // the line that opens the map
      }
    }
    for (let l = line + 1; l < this.end; l++) {
      const entries = this.entries(l);
      if (entries.length === 0 || entries[0].col > col) continue;
      if (entries[0].col < col) break;
      if (entries[0].kind === 'key') keys.add(entries[0].key!);
    }
    return keys;
  }
}

/** The index of the deepest entry before `col`, or -1. */
function lastBefore(entries: Entry[], col: number): number {
  let found = -1;
  entries.forEach((e, i) => {
    if (e.col < col) found = i;
  });
  return found;
}

/** A key whose value continues on the next lines: nothing inline but an anchor, a tag or a comment. */
function isOpen(value: string | undefined): boolean {
  return !value || /^([&!][^\s]*\s*)+$/.test(value);
}
