/**
 * sops trees → YAML text laid out as go-yaml v3 writes it for sops (indent 4, sequences indented
 * under their key, the keys of a mapping in a sequence after `- ` with its nested values indented
 * from the dash), so re-encrypting a sops-written file does not re-indent it. Comment items are
 * written as whole lines before the item they precede, or at the end of their container. Scalars
 * are rendered by the `yaml` package, quoted wherever go-yaml or a YAML 1.1 reader would read
 * them as something other than a string.
 */
import { Document, Scalar } from 'yaml';
import { resolvePlainYamlScalar } from './scalars';
import type { SopsComment, SopsMapping, SopsNode, SopsScalar, SopsSequence } from './tree';

/** Plain words YAML 1.1 readers (kubectl, older tools) take as booleans; go-yaml quotes them too. */
const YAML11_BOOLS = /^(y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF)$/;

/** YAML 1.1 sexagesimal numbers (`1:20`), also quoted by go-yaml for older readers. */
const BASE60_FLOAT = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/;

export interface YamlEmitOptions {
  indent?: number;
}

/** Emits documents; `metadata`, when given, is appended as the `sops` key of every document. */
export function emitYaml(branches: SopsMapping[], metadata?: SopsMapping, options: YamlEmitOptions = {}): string {
  const emitter = new Emitter(Math.max(2, options.indent ?? 4));
  return branches
    .map((branch, i) => {
      const full: SopsMapping = metadata ? { kind: 'map', items: [...branch.items, { kind: 'pair', key: 'sops', value: metadata }] } : branch;
      const lines: string[] = [];
      if (full.items.some((item) => item.kind === 'pair')) emitter.mapping(full, 0, lines);
      else lines.push(...full.items.map((c) => `#${(c as SopsComment).text}`), '{}');
      return (i > 0 ? '---\n' : '') + lines.join('\n') + '\n';
    })
    .join('');
}

class Emitter {
  constructor(private readonly indent: number) {}

  mapping(map: SopsMapping, column: number, out: string[], firstPrefix?: string): void {
    const pad = ' '.repeat(column);
    let first = true;
    for (const item of map.items) {
      if (item.kind === 'comment') {
        out.push(`${pad}#${item.text}`);
        continue;
      }
      // The first key of a mapping in a sequence shares the line of its `- `.
      const lead = first && firstPrefix !== undefined ? firstPrefix : pad;
      first = false;
      this.value(`${lead}${renderKey(item.key)}:`, item.value, column, out, firstPrefix !== undefined);
    }
  }

  sequence(seq: SopsSequence, column: number, out: string[]): void {
    const pad = ' '.repeat(column);
    for (const item of seq.items) {
      if (item.kind === 'comment') {
        out.push(`${pad}#${item.text}`);
        continue;
      }
      const node = item as SopsNode;
      if (node.kind === 'map' && node.items.some((i) => i.kind === 'pair')) {
        // Leading comments of the mapping go above its dash: same AAD, as sequence items add no path.
        const lead = node.items.findIndex((i) => i.kind === 'pair');
        for (const c of node.items.slice(0, lead) as SopsComment[]) out.push(`${pad}#${c.text}`);
        this.mapping({ kind: 'map', items: node.items.slice(lead) }, column + 2, out, `${pad}- `);
      } else if (node.kind === 'seq' && node.items.some((i) => i.kind !== 'comment')) {
        const lead = node.items.findIndex((i) => i.kind !== 'comment');
        for (const c of node.items.slice(0, lead) as SopsComment[]) out.push(`${pad}#${c.text}`);
        const inner: string[] = [];
        this.sequence({ kind: 'seq', items: node.items.slice(lead) }, column + 2, inner);
        // Comments hoisted out of deeper sequences also go above this dash.
        let first = 0;
        while (inner[first].trimStart().startsWith('#')) out.push(pad + inner[first++].trimStart());
        out.push(`${pad}- ${inner[first].slice(column + 2)}`, ...inner.slice(first + 1));
      } else {
        this.value(`${pad}-`, node, column, out, false);
      }
    }
  }

  /**
   * Writes `head` (a `key:` or `-`) followed by the value. Nested collections and block scalars
   * are indented from `column`, the key's column; for keys of a mapping in a sequence go-yaml
   * indents from the dash instead, two columns to the left.
   */
  private value(head: string, value: SopsNode, column: number, out: string[], inSequenceItem: boolean): void {
    const base = inSequenceItem ? column - 2 : column;
    const child = Math.max(base + this.indent, column + 1);
    if (value.kind === 'map') {
      if (!value.items.some((i) => i.kind === 'pair')) {
        out.push(`${head} {}`);
        for (const c of value.items as SopsComment[]) out.push(`${' '.repeat(child)}#${c.text}`);
        return;
      }
      out.push(head);
      this.mapping(value, child, out);
      return;
    }
    if (value.kind === 'seq') {
      if (!value.items.some((i) => i.kind !== 'comment')) {
        out.push(`${head} []`);
        for (const c of value.items as SopsComment[]) out.push(`${' '.repeat(child)}#${c.text}`);
        return;
      }
      out.push(head);
      this.sequence(value, head.trimStart().startsWith('-') ? column + 2 : child, out);
      return;
    }
    const [first, ...rest] = renderScalar(value);
    out.push(`${head} ${first}`);
    const pad = ' '.repeat(child);
    for (const line of rest) out.push(line === '' ? '' : pad + line);
  }
}

function needsQuotes(text: string): boolean {
  return resolvePlainYamlScalar(text).kind !== 'str' || YAML11_BOOLS.test(text) || BASE60_FLOAT.test(text);
}

/**
 * Renders one scalar; block scalar content comes back without its base indentation (the
 * package indents it at the root when a line could read as `---`), to be re-indented in place.
 */
function stringify(scalar: Scalar): string[] {
  const [head, ...content] = new Document(scalar).toString({ lineWidth: 0, minContentWidth: 0 }).replace(/\n$/, '').split('\n');
  const firstLine = content.find((l) => l !== '');
  const base = firstLine ? firstLine.length - firstLine.trimStart().length : 0;
  return [head, ...content.map((l) => l.slice(base))];
}

function renderKey(key: string): string {
  const scalar = new Scalar(key);
  if (needsQuotes(key) || /[\n\r]/.test(key)) scalar.type = 'QUOTE_DOUBLE';
  const lines = stringify(scalar);
  return lines.length === 1 ? lines[0] : JSON.stringify(key);
}

/** One line, or a block scalar header followed by its unindented content lines. */
function renderScalar(value: SopsScalar): string[] {
  switch (value.kind) {
    case 'str': {
      const s = new Scalar(value.value);
      const blockSafe = !/[^\S\n]\n|[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\ufeff]/.test(value.value) && !/^\s/.test(value.value);
      if (value.value.includes('\n') && blockSafe) s.type = 'BLOCK_LITERAL';
      else if (needsQuotes(value.value) || value.value.includes('\n')) s.type = 'QUOTE_DOUBLE';
      return stringify(s);
    }
    case 'int':
      return [value.value.toString()];
    case 'float': {
      // Floats are written so that they read back as floats (`1.0`, not Go's `1`), keeping their type.
      const s = new Scalar(value.value);
      s.minFractionDigits = 1;
      return stringify(s);
    }
    case 'bool':
      return [value.value ? 'true' : 'false'];
    case 'time':
      // The text as the user wrote it (`2024-01-01`) when known; it reads back as the same time.
      return [value.source ?? value.value];
    case 'null':
      return ['null'];
  }
}
