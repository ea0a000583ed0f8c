// YAML as kustomize reads it. kustomize round-trips every object through JSON with go-yaml v3,
// whose integers follow Go's ParseInt with base 0 (a plain `0775` is octal, 509, where YAML 1.2's
// core schema, the model's parser, reads 775) and which resolves `<<` merge keys. Files with
// either are parsed again here. go-yaml also reads a folded block scalar (`>`) differently where a
// more-indented line follows a plain one: it keeps one more line break (checked with kubectl).
import { isScalar, parseAllDocuments, visit, type Document } from 'yaml';

const legacyOctal = {
  identify: () => false,
  default: true,
  tag: 'tag:yaml.org,2002:int',
  test: /^[-+]?0[0-7_]+$/,
  resolve: (s: string) => {
    const n = parseInt(s.replace(/[-+_]/g, ''), 8);
    return s.startsWith('-') ? -n : n;
  },
};

/** Whether a text may hold a plain legacy-octal scalar (a cheap test before parsing again). */
export function readsDifferently(text: string): boolean {
  return /(?:^|[\s:,[{-])[-+]?0[0-7_]+(?:[\s,\]}]|$)/m.test(text) || text.includes('<<') || FOLDED.test(text) || !text.endsWith('\n');
}

const FOLDED = /[:-]\s+>[-+0-9]*[ \t]*(#.*)?$/m;

/** A folded block scalar's value as go-yaml reads it (libyaml's folding, plus its extra break). */
function goFolded(header: string, body: string, fallback: string): string {
  const chomp = header.includes('-') ? 'strip' : header.includes('+') ? 'keep' : 'clip';
  const explicit = /[1-9]/.exec(header);
  const lines = body.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  let indent = explicit ? Number(explicit[0]) : -1;
  if (indent < 0) {
    const first = lines.find((l) => l.trim() !== '');
    if (first === undefined) return fallback;
    indent = first.length - first.trimStart().length;
  }
  let s = '';
  let leadingBreak = '';
  let trailingBreaks = '';
  let leadingBlank = false;
  let first = true;
  for (const line of lines) {
    if (line.slice(0, indent).trim() !== '') return fallback;
    if (line.length <= indent && line.trim() === '') {
      trailingBreaks += '\n';
      continue;
    }
    const content = line.slice(indent);
    const trailingBlank = content.startsWith(' ') || content.startsWith('\t');
    if (!first) {
      if (leadingBreak && !leadingBlank && !trailingBlank) s += trailingBreaks === '' ? ' ' : '';
      else s += leadingBreak + (trailingBlank && !leadingBlank ? '\n' : '');
    }
    s += trailingBreaks;
    trailingBreaks = '';
    leadingBlank = trailingBlank;
    s += content;
    leadingBreak = '\n';
    first = false;
  }
  if (chomp === 'keep') return s + leadingBreak + trailingBreaks;
  if (chomp === 'clip') return s === '' ? '' : s + leadingBreak;
  return s;
}

export function parseKustomizeYaml(text: string): Document.Parsed[] {
  // A block scalar that ends the file without a line break has none in go-yaml's value.
  const folded = FOLDED.test(text) || !text.endsWith('\n');
  const docs = parseAllDocuments(text, { uniqueKeys: false, merge: true, keepSourceTokens: folded, customTags: (tags) => [legacyOctal, ...tags] });
  const list = (Array.isArray(docs) ? docs : [docs]) as Document.Parsed[];
  if (folded) {
    for (const doc of list) {
      visit(doc, {
        Scalar(_, node) {
          const token: any = (node as any).srcToken;
          if (!isScalar(node) || token?.type !== 'block-scalar' || typeof node.value !== 'string') return;
          const header: string = token.props?.find((p: any) => p.type === 'block-scalar-header')?.source ?? '>';
          if (node.type === 'BLOCK_FOLDED') node.value = goFolded(header, token.source, node.value);
          if (!String(token.source).endsWith('\n') && !header.includes('+') && (node.value as string).endsWith('\n')) node.value = (node.value as string).slice(0, -1);
        },
      });
    }
  }
  return list;
}
