// Where Go yaml (kustomize, so Flux) accepts what the `yaml` package refuses. Such a file is
// applied by Flux, so refusing it is not an error: the file is parsed a second time with the
// leniency written out, and the places only strict YAML refuses are kept as warnings.
//
// Known leniencies (each checked with `kubectl kustomize`):
// - a quoted scalar whose continuation lines are indented less than its key (even at column 0,
//   the closing quote included): Go yaml reads them; `yaml` ends the scalar there. Indenting
//   those lines changes nothing in the value (a flow scalar's continuation lines lose their
//   leading white space), so the repaired text has the values Flux sees;
// - the same for a flow sequence or mapping (`[1,\n 2]`): line breaks and leading white space
//   inside it are insignificant;
// - a comment right after a closing quote or bracket (`"x"#c`): Go yaml reads a comment, strict
//   YAML wants white space before `#`; a space is inserted.
import { visit, type Document } from 'yaml';

/** The documents of a lenient parse, ranges in the original text, and where the leniency was used. */
export interface LenientParse {
  documents: Document.Parsed[];
  /** Where only strict YAML refuses the text, and why. */
  strictOnly: StrictOnly[];
}

export interface StrictOnly {
  at: number;
  message: string;
}

/** Beyond this, a file is not re-parsed (a repair is a second parse of the whole text). */
const MAX_TEXT = 4 * 1024 * 1024;
const MAX_REPAIRS = 100;
const MAX_STRICT_ERRORS = 200;

/**
 * A second parse of `text` with Go yaml's leniencies, when `strict` (the strict parse) has errors
 * they explain and the second parse has fewer errors; else undefined.
 */
export function goYamlParse(text: string, strict: Document.Parsed[], parse: (text: string) => Document.Parsed[]): LenientParse | undefined {
  if (text.length > MAX_TEXT) return undefined;
  // A leniency explains a few errors; a file with many more is broken (or a template) whatever reads it.
  const strictErrors = strict.reduce((n, d) => n + d.errors.length, 0);
  if (strictErrors > MAX_STRICT_ERRORS) return undefined;
  const openers: number[] = [];
  const insertions: { at: number; spaces: number }[] = [];
  const strictOnly: StrictOnly[] = [];
  const commented = new Set<number>();
  const tightComment = (at: number) => {
    if (text[at] !== '#' || !/["'\]}]/.test(text[at - 1] ?? '') || commented.has(at) || commented.size >= MAX_REPAIRS) return;
    commented.add(at);
    insertions.push({ at, spaces: 1 });
    strictOnly.push({ at, message: 'Strict YAML refuses a comment without white space before its # (kustomize reads it)' });
  };
  for (const doc of strict) {
    for (const error of doc.errors) if (/^Comments must be separated/.test(error.message)) tightComment(error.pos[0]);
    if (!doc.errors.some((e) => (e.code === 'MISSING_CHAR' && /quote/.test(e.message)) || e.code === 'BAD_INDENT')) continue;
    visit(doc, {
      Seq(_, node) {
        if (node.flow && node.range && openers.length < MAX_REPAIRS && text[node.range[0]] === '[') openers.push(node.range[0]);
      },
      Map(_, node) {
        if (node.flow && node.range && openers.length < MAX_REPAIRS && text[node.range[0]] === '{') openers.push(node.range[0]);
      },
      Scalar(_, node) {
        if (openers.length >= MAX_REPAIRS || !node.range) return;
        if (node.type !== 'QUOTE_SINGLE' && node.type !== 'QUOTE_DOUBLE') return;
        const quote = node.type === 'QUOTE_SINGLE' ? "'" : '"';
        const start = node.range[0];
        const source = text.slice(start, node.range[1]);
        if (text[start] === quote && (source.length < 2 || !closes(source, quote))) openers.push(start);
      },
    });
  }
  // The strict parse cut each such value short, so what it read after the cut (the closing quote
  // taken for an opening one) lies inside the value: skipped.
  let coveredUntil = -1;
  for (const opener of openers.sort((a, b) => a - b)) {
    if (opener <= coveredUntil) continue;
    const flow = text[opener] === '[' || text[opener] === '{';
    const close = flow ? closingBracket(text, opener) : closingQuote(text, opener);
    if (close < 0) continue;
    coveredUntil = close;
    const span = text.slice(opener, close);
    // A document marker ends a document, quoted or not, for Go yaml too.
    if (/\n(---|\.\.\.)(\s|$)/.test(span)) continue;
    const lineStart = text.lastIndexOf('\n', opener - 1) + 1;
    const needed = opener - lineStart + 1;
    let repaired = false;
    for (let nl = text.indexOf('\n', opener); nl >= 0 && nl < close; nl = text.indexOf('\n', nl + 1)) {
      let indent = 0;
      while (text[nl + 1 + indent] === ' ') indent++;
      const next = text[nl + 1 + indent];
      // Blank lines are line breaks of the value, whatever their indentation.
      if (next === '\n' || next === '\r' || next === undefined) continue;
      if (indent < needed) {
        insertions.push({ at: nl + 1, spaces: needed - indent });
        repaired = true;
      }
    }
    const what = flow ? (text[opener] === '[' ? 'flow sequence' : 'flow mapping') : 'quoted value';
    if (repaired) strictOnly.push({ at: opener, message: `Strict YAML refuses this ${what}: its continuation lines are indented less than its key (kustomize reads it)` });
    tightComment(close + 1);
  }
  if (insertions.length === 0) return undefined;
  insertions.sort((a, b) => a.at - b.at);
  strictOnly.sort((a, b) => a.at - b.at);
  let repairedText = '';
  let last = 0;
  for (const { at, spaces } of insertions) {
    repairedText += text.slice(last, at) + ' '.repeat(spaces);
    last = at;
  }
  repairedText += text.slice(last);
  const documents = parse(repairedText);
  if (documents.reduce((n, d) => n + d.errors.length, 0) >= strictErrors) return undefined;
  const toOriginal = originalOffsets(insertions);
  for (const doc of documents) mapRanges(doc, toOriginal);
  return { documents, strictOnly };
}

/** Whether a quoted scalar's source ends with its closing quote (not an escaped one). */
function closes(source: string, quote: string): boolean {
  return closingQuote(source, 0) === source.length - 1;
}

/** The offset of the quote that closes the quoted scalar opening at `opener`, or -1. */
function closingQuote(text: string, opener: number): number {
  const quote = text[opener];
  let end = text.indexOf(quote, opener + 1);
  if (quote === "'") {
    while (end !== -1 && text[end + 1] === "'") end = text.indexOf("'", end + 2);
  } else {
    while (end !== -1) {
      let backslashes = 0;
      while (text[end - 1 - backslashes] === '\\') backslashes++;
      if (backslashes % 2 === 0) break;
      end = text.indexOf('"', end + 1);
    }
  }
  return end;
}

/** The offset of the bracket that closes the flow collection opening at `opener`, or -1. */
function closingBracket(text: string, opener: number): number {
  let depth = 0;
  for (let i = opener; i < text.length; i++) {
    const c = text[i];
    if (c === '[' || c === '{') depth++;
    else if (c === ']' || c === '}') {
      if (--depth === 0) return i;
    } else if (c === '"' || c === "'") {
      const end = closingQuote(text, i);
      if (end < 0) return -1;
      i = end;
    } else if (c === '#' && /\s/.test(text[i - 1])) {
      const lineEnd = text.indexOf('\n', i);
      if (lineEnd < 0) return -1;
      i = lineEnd;
    }
  }
  return -1;
}

/** Maps an offset of the repaired text back to the original (inserted spaces map to their line's start). */
function originalOffsets(insertions: { at: number; spaces: number }[]): (offset: number) => number {
  // Where each insertion begins in the repaired text, and how many spaces come before it.
  const starts: number[] = [];
  const before: number[] = [];
  let shift = 0;
  for (const { at, spaces } of insertions) {
    starts.push(at + shift);
    before.push(shift);
    shift += spaces;
  }
  return (offset) => {
    let low = 0;
    let high = starts.length - 1;
    let found = -1;
    while (low <= high) {
      const mid = (low + high) >> 1;
      if (starts[mid] <= offset) {
        found = mid;
        low = mid + 1;
      } else high = mid - 1;
    }
    if (found < 0) return offset;
    const inserted = insertions[found].spaces;
    const inside = offset - starts[found];
    return inside < inserted ? starts[found] - before[found] : offset - before[found] - inserted;
  };
}

function mapRanges(doc: Document.Parsed, toOriginal: (offset: number) => number): void {
  const map = (range: number[] | null | undefined) => {
    if (range) for (let i = 0; i < range.length; i++) range[i] = toOriginal(range[i]);
  };
  map(doc.range);
  for (const error of doc.errors) map(error.pos);
  visit(doc, {
    Node(_, node) {
      map(node.range);
    },
  });
}
