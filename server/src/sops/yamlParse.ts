/**
 * YAML text → sops trees, typed as go-yaml v3 types them (only plain untagged scalars are
 * resolved; `014` is octal, `yes` a string), with comments placed by yamlComments.
 */
import { Composer, isAlias, isMap, isPair, isScalar, isSeq, Parser, type Document, type Node as YamlNode, type Scalar } from 'yaml';
import { SopsError } from './errors';
import { resolvePlainYamlScalar } from './scalars';
import type { SopsMapping, SopsNode, SopsPair, SopsScalar, SopsSequence } from './tree';
import { applyInserts, collectComments, type CommentToken, type ContainerRecord, type ItemRecord, LineIndex, placeComments } from './yamlComments';

export interface ParsedYaml {
  branches: SopsMapping[];
  /** The `sops` mapping of the first document, when present. */
  metadata?: SopsNode;
}

/** Parses every document; `file` only names the file in messages (YAML errors never quote the source). */
export function parseYaml(text: string, file: string): ParsedYaml {
  // One CST parse serves both the documents and the comments (parseAllDocuments would parse the text a second time).
  const tokens = [...new Parser().parse(text)];
  const list = [...new Composer({ schema: 'failsafe', prettyErrors: false, uniqueKeys: true, logLevel: 'error' }).compose(tokens)];
  const lines = new LineIndex(text);
  for (const doc of list) {
    const err = doc.errors[0];
    if (err) {
      const offset = err.pos[0];
      throw new SopsError('BAD_FORMAT', `${file}: invalid YAML at line ${lines.line(offset) + 1}, column ${lines.column(offset) + 1} (${err.code})`);
    }
  }
  const comments = collectComments(tokens);
  const docStarts = list.map((d) => d.range[0]);
  const branches: SopsMapping[] = [];
  let metadata: SopsNode | undefined;
  list.forEach((doc, i) => {
    const from = i === 0 ? -1 : docStarts[i];
    const to = i === list.length - 1 ? Infinity : docStarts[i + 1];
    const mine = comments.filter((c) => c.offset >= from && c.offset < to);
    const branch = convertDocument(doc, mine, lines, file, i);
    const sopsIndex = branch.items.findIndex((it) => it.kind === 'pair' && it.key === 'sops');
    if (sopsIndex >= 0) {
      if (i === 0) metadata = (branch.items[sopsIndex] as SopsPair).value;
      branch.items.splice(sopsIndex, 1);
    }
    branches.push(branch);
  });
  return { branches, metadata };
}

/** What alias expansion may cost in one document (the model's limits are of the same order). */
const MAX_ALIASES = 1000;
const MAX_ALIAS_NODES = 10_000;

function convertDocument(doc: Document, comments: CommentToken[], lines: LineIndex, file: string, index: number): SopsMapping {
  const where = (what: string) => `${file}: ${index > 0 ? `document ${index + 1}: ` : ''}${what}`;
  const root: SopsMapping = { kind: 'map', items: [] };
  const rootRecord: ContainerRecord = { node: root, column: 0, depth: 0, inserts: [] };
  const items: ItemRecord[] = [];
  const contents = doc.contents as YamlNode | null;

  // Aliases are expanded as sops expands them, within a budget: an alias bomb (or thousands of
  // aliases into a large document, each resolved by a walk of it) is refused, not followed.
  const targets = new Map<object, YamlNode | null>();
  let expanded = 0;
  const convert = (node: YamlNode | null, parent: ContainerRecord, record?: ContainerRecord, viaAlias = false): SopsNode => {
    if (viaAlias && ++expanded > MAX_ALIAS_NODES) throw new SopsError('BAD_FORMAT', where(`aliases expand past ${MAX_ALIAS_NODES} nodes; the file is not read (a resource-exhaustion risk)`));
    if (node === null || node === undefined) return { kind: 'null' };
    if (isAlias(node)) {
      // Each alias is resolved once (resolving walks the document).
      let target = targets.get(node);
      if (target === undefined) {
        if (targets.size >= MAX_ALIASES) throw new SopsError('BAD_FORMAT', where(`more than ${MAX_ALIASES} aliases; the file is not read (a resource-exhaustion risk)`));
        target = (node.resolve(doc) ?? null) as YamlNode | null;
        targets.set(node, target);
      }
      return convert(target, parent, undefined, true);
    }
    if (isMap(node)) {
      const map: SopsMapping = record ? (record.node as SopsMapping) : { kind: 'map', items: [] };
      const first = node.items[0]?.key as YamlNode | undefined;
      const rec = record ?? { node: map, column: lines.column(first?.range?.[0] ?? node.range?.[0] ?? 0), depth: parent.depth + 1, parent, inserts: [] };
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const key = mapKey(pair.key as YamlNode | null, where);
        const item: SopsPair = { kind: 'pair', key, value: { kind: 'null' } };
        map.items.push(item);
        const start = (pair.key as YamlNode | null)?.range?.[0];
        if (start !== undefined) items.push({ container: rec, item, start });
        item.value = convert(pair.value as YamlNode | null, rec, undefined, viaAlias);
      }
      return map;
    }
    if (isSeq(node)) {
      const seq: SopsSequence = { kind: 'seq', items: [] };
      const rec: ContainerRecord = { node: seq, column: lines.column(node.range?.[0] ?? 0), depth: parent.depth + 1, parent, inserts: [] };
      for (const child of node.items) {
        const value = convert(child as YamlNode | null, rec, undefined, viaAlias);
        seq.items.push(value);
        const start = (child as YamlNode | null)?.range?.[0];
        if (start !== undefined) items.push({ container: rec, item: value, start });
      }
      return seq;
    }
    if (isScalar(node)) return scalarOf(node);
    throw new SopsError('BAD_FORMAT', where('unsupported YAML node'));
  };

  if (contents !== null && contents !== undefined) {
    if (isSeq(contents)) throw new SopsError('BAD_FORMAT', where('YAML documents that are sequences are not supported'));
    if (isScalar(contents) && contents.value !== null && !(contents.type === 'PLAIN' && resolvePlainYamlScalar(String(contents.source ?? contents.value)).kind === 'null')) {
      throw new SopsError('BAD_FORMAT', where('YAML documents that are values are not supported'));
    }
    if (isMap(contents)) {
      const first = contents.items[0]?.key as YamlNode | undefined;
      rootRecord.column = first?.range ? lines.column(first.range[0]) : 0;
      convert(contents, rootRecord, rootRecord);
    }
  }
  placeComments(comments, items, rootRecord, lines);
  applyInserts(rootRecord, items);
  return root;
}

function mapKey(key: YamlNode | null, where: (what: string) => string): string {
  if (key !== null && isScalar(key)) {
    const scalar = scalarOf(key);
    if (scalar.kind === 'str') return scalar.value;
    throw new SopsError('BAD_FORMAT', where(`non-string key ${JSON.stringify(String(key.source ?? key.value))} (quote it to make it a string)`));
  }
  throw new SopsError('BAD_FORMAT', where('complex (non-scalar) mapping keys are not supported'));
}

/** go-yaml v3 typing: only plain untagged scalars are resolved; quoted and block scalars are strings. */
function scalarOf(node: Scalar): SopsScalar {
  const text = String(node.value ?? '');
  const tag = node.tag;
  if (tag === '!!str' || tag === 'tag:yaml.org,2002:str') return { kind: 'str', value: text };
  if (node.type !== 'PLAIN' && !tag) return { kind: 'str', value: text };
  if (tag && !/^(!!|tag:yaml\.org,2002:)(int|float|bool|null|timestamp)$/.test(tag)) return { kind: 'str', value: text };
  return resolvePlainYamlScalar(node.type === 'PLAIN' ? String(node.source ?? text) : text);
}

