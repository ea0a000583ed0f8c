/**
 * Where YAML comments go in the sops tree. go-yaml attributes comments by indentation, so a
 * comment line belongs to the enclosing mapping or sequence whose items start at or left of its
 * column; the `yaml` package's attribution (to the deepest preceding node) would change the AAD.
 */
import type { SopsComment, SopsMapping, SopsNode, SopsPair, SopsSequence } from './tree';

export interface ContainerRecord {
  node: SopsMapping | SopsSequence;
  column: number;
  depth: number;
  parent?: ContainerRecord;
  /** Comments to insert, by the item they precede (undefined: at the end). */
  inserts: Array<{ offset: number; before: SopsPair | SopsNode | undefined; comment: SopsComment }>;
}

export interface ItemRecord {
  container: ContainerRecord;
  item: SopsPair | SopsNode;
  start: number;
}

export interface CommentToken {
  offset: number;
  text: string;
}

export class LineIndex {
  private readonly starts: number[] = [0];
  constructor(readonly text: string) {
    for (let i = 0; i < text.length; i++) if (text[i] === '\n') this.starts.push(i + 1);
  }
  line(offset: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
  column(offset: number): number {
    return offset - this.starts[this.line(offset)];
  }
  /** True when only whitespace precedes the offset on its line. */
  ownLine(offset: number): boolean {
    return this.text.slice(this.starts[this.line(offset)], offset).trim() === '';
  }
}

/** The comments of a YAML text's CST tokens (what yaml's Parser makes of it), in source order. */
export function collectComments(tokens: Iterable<unknown>): CommentToken[] {
  const out: CommentToken[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== 'object') return;
    const token = node as { type?: string; offset?: number; source?: string };
    if (token.type === 'comment' && typeof token.offset === 'number' && typeof token.source === 'string') {
      out.push({ offset: token.offset, text: token.source.replace(/^#/, '') });
    }
    for (const [k, v] of Object.entries(node)) if (k !== 'source' && v && typeof v === 'object') visit(v);
  };
  for (const token of tokens) visit(token);
  return out.sort((a, b) => a.offset - b.offset);
}

export function placeComments(comments: CommentToken[], items: ItemRecord[], root: ContainerRecord, lines: LineIndex): void {
  const sorted = [...items].sort((a, b) => a.start - b.start);
  // A sequence item that is itself a collection opens that collection: a comment may belong to it.
  const opened = new Map<object, ContainerRecord>(items.map((i) => [i.container.node, i.container]));
  const own = (rec: ItemRecord | undefined) => (rec ? opened.get(rec.item) ?? rec.container : undefined);
  const chain = (rec: ContainerRecord | undefined): ContainerRecord[] => {
    const out: ContainerRecord[] = [];
    for (let r = rec; r; r = r.parent) out.push(r);
    return out;
  };
  for (const c of comments) {
    const comment: SopsComment = { kind: 'comment', text: c.text };
    const prevIndex = lastIndexBefore(sorted, c.offset);
    const prev = prevIndex >= 0 ? sorted[prevIndex] : undefined;
    const next = deepestOnLine(sorted, prevIndex + 1, lines);
    const prevIsLeafOrPair = prev !== undefined && prev.item.kind !== 'map' && prev.item.kind !== 'seq';
    if (!lines.ownLine(c.offset) && prev && prevIsLeafOrPair && lines.line(prev.start) === lines.line(c.offset)) {
      // A comment at the end of a line precedes the item on that line, as sops stores line comments.
      prev.container.inserts.push({ offset: c.offset, before: prev.item, comment });
      continue;
    }
    // Between two sibling collections, a comment on its own line ends the previous one (a foot
    // comment); one after a `- ` indicator starts the next one.
    const ordered = lines.ownLine(c.offset) ? [...chain(own(prev)), ...chain(own(next))] : [...chain(own(next)), ...chain(own(prev))];
    const column = lines.column(c.offset);
    const target = [...ordered, root].filter((r) => r.column <= column).sort((a, b) => b.depth - a.depth)[0] ?? root;
    const following = sorted.find((it) => it.start > c.offset && it.container === target);
    target.inserts.push({ offset: c.offset, before: following?.item, comment });
  }
}

/**
 * The deepest item on the line of the first item after a comment: with `- - x` or `- k: v`
 * the comment may belong to the inner collection that starts on that line.
 */
function deepestOnLine(sorted: ItemRecord[], from: number, lines: LineIndex): ItemRecord | undefined {
  const first = sorted[from];
  if (!first) return undefined;
  const line = lines.line(first.start);
  let best = first;
  for (let i = from + 1; i < sorted.length && lines.line(sorted[i].start) === line; i++) {
    if (sorted[i].container.depth > best.container.depth) best = sorted[i];
  }
  return best;
}

function lastIndexBefore(sorted: ItemRecord[], offset: number): number {
  let lo = 0;
  let hi = sorted.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid].start < offset) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

export function applyInserts(root: ContainerRecord, items: ItemRecord[]): void {
  const records = new Set<ContainerRecord>([root, ...items.map((i) => i.container)]);
  for (const rec of records) {
    if (rec.inserts.length === 0) continue;
    const inserts = [...rec.inserts].sort((a, b) => a.offset - b.offset);
    const result: Array<SopsPair | SopsNode | SopsComment> = [];
    for (const item of rec.node.items) {
      for (const ins of inserts) if (ins.before === item) result.push(ins.comment);
      result.push(item);
    }
    for (const ins of inserts) if (ins.before === undefined) result.push(ins.comment);
    rec.node.items = result as typeof rec.node.items;
  }
}
