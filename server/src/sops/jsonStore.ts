/**
 * JSON text ↔ sops trees. JSON.parse cannot be used: it reorders integer-like keys and loses
 * the int/float distinction, and both feed the MAC.
 */
import { SopsError } from './errors';
import { formatGoFloat } from './scalars';
import type { SopsMapping, SopsNode } from './tree';

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

const STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;
const NUMBER = /-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;

export interface ParsedJson {
  branch: SopsMapping;
  metadata?: SopsNode;
}

export function parseJson(text: string, file: string): ParsedJson {
  let i = 0;
  const fail = (what: string): never => {
    const line = text.slice(0, i).split('\n').length;
    throw new SopsError('BAD_FORMAT', `${file}: invalid JSON at line ${line} (${what})`);
  };
  const ws = () => {
    while (i < text.length && ' \t\r\n'.includes(text[i])) i++;
  };
  const stringToken = (): string => {
    STRING.lastIndex = i;
    const m = STRING.exec(text);
    if (!m) return fail('bad string');
    i += m[0].length;
    return JSON.parse(m[0]) as string;
  };
  const value = (): SopsNode => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      const map: SopsMapping = { kind: 'map', items: [] };
      const seen = new Set<string>();
      ws();
      if (text[i] === '}') {
        i++;
        return map;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail('expected a key');
        const key = stringToken();
        if (seen.has(key)) fail(`duplicate key ${JSON.stringify(key)}`);
        seen.add(key);
        ws();
        if (text[i++] !== ':') fail('expected ":"');
        map.items.push({ kind: 'pair', key, value: value() });
        ws();
        if (text[i] === ',') { i++; continue; }
        if (text[i] === '}') { i++; return map; }
        fail('expected "," or "}"');
      }
    }
    if (c === '[') {
      i++;
      const items: SopsNode[] = [];
      ws();
      if (text[i] === ']') { i++; return { kind: 'seq', items }; }
      for (;;) {
        items.push(value());
        ws();
        if (text[i] === ',') { i++; continue; }
        if (text[i] === ']') { i++; return { kind: 'seq', items }; }
        fail('expected "," or "]"');
      }
    }
    if (c === '"') return { kind: 'str', value: stringToken() };
    for (const [word, node] of [['true', { kind: 'bool', value: true }], ['false', { kind: 'bool', value: false }], ['null', { kind: 'null' }]] as const) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return { ...node } as SopsNode;
      }
    }
    NUMBER.lastIndex = i;
    const m = NUMBER.exec(text);
    if (!m) return fail('unexpected character');
    i += m[0].length;
    if (!m[2] && !m[3]) {
      const v = BigInt(m[0]);
      if (v >= INT64_MIN && v <= INT64_MAX) return { kind: 'int', value: v };
    }
    return { kind: 'float', value: Number(m[0]) };
  };
  const root = value();
  ws();
  if (i < text.length) fail('trailing content');
  if (root.kind !== 'map') throw new SopsError('BAD_FORMAT', `${file}: the top level of a JSON file must be an object`);
  const sopsIndex = root.items.findIndex((it) => it.kind === 'pair' && it.key === 'sops');
  let metadata: SopsNode | undefined;
  if (sopsIndex >= 0) {
    const pair = root.items[sopsIndex];
    if (pair.kind === 'pair') metadata = pair.value;
    root.items.splice(sopsIndex, 1);
  }
  return { branch: root, metadata };
}

/** Emits like sops' JSON store: tab indentation, `"key": value`, trailing newline. */
export function emitJson(branch: SopsMapping, metadata?: SopsMapping, indent = '\t'): string {
  const full: SopsMapping = metadata ? { kind: 'map', items: [...branch.items, { kind: 'pair', key: 'sops', value: metadata }] } : branch;
  return render(full, '', indent) + '\n';
}

function render(node: SopsNode, pad: string, indent: string): string {
  const inner = pad + indent;
  switch (node.kind) {
    case 'map': {
      const pairs = node.items.filter((it) => it.kind === 'pair');
      if (pairs.length === 0) return '{}';
      return `{\n${pairs.map((p) => `${inner}${JSON.stringify(p.key)}: ${render(p.value, inner, indent)}`).join(',\n')}\n${pad}}`;
    }
    case 'seq': {
      const items = node.items.filter((it): it is SopsNode => it.kind !== 'comment');
      if (items.length === 0) return '[]';
      return `[\n${items.map((v) => inner + render(v, inner, indent)).join(',\n')}\n${pad}]`;
    }
    case 'str':
    case 'time':
      return JSON.stringify(node.value);
    case 'int':
      return node.value.toString();
    case 'float': {
      if (!Number.isFinite(node.value)) throw new SopsError('BAD_FORMAT', 'JSON cannot hold NaN or infinite numbers');
      const s = String(node.value).includes('e') ? String(node.value) : formatGoFloat(node.value);
      return /[.eE]/.test(s) ? s : `${s}.0`;
    }
    case 'bool':
      return node.value ? 'true' : 'false';
    case 'null':
      return 'null';
  }
}
