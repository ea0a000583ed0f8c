// Parsing one file into documents and resources, keeping every node's source range.
import { readFileSync } from 'node:fs';
import { parseAllDocuments, isMap, visit, type Document } from 'yaml';
import { fileTooLarge, readDocument } from './limits';
import { duplicateKeysOf, type DuplicateKey } from './duplicateKeys';
import { shapeOf, type FileShape } from './fileKinds';
import { goYamlParse, type StrictOnly } from './goYaml';
import { toAbsolute } from './paths';
import { computeLineStarts, positionAt, rangeFromOffsets } from './positions';
import { identifierOf } from './values';
import { canonicalKustomization } from './kustomization-keys';
import type { Resource, SyntaxProblem, YamlFile } from './types';

export function isYamlPath(path: string): boolean {
  return /\.ya?ml$/i.test(path);
}

/** Syntax problems kept per file (the count says how many there were); parser errors kept per document. */
const MAX_SYNTAX_PROBLEMS = 20;

/** The one place that turns a file's text into documents: eager and lazy parses share its ranges. */
function parseDocuments(text: string): Document.Parsed[] {
  if (fileTooLarge(text)) return [];
  return withFewErrors(parseText(text).documents);
}

/** A broken file can have an error per line; a few say what is wrong, the rest only take memory. */
function withFewErrors(documents: Document.Parsed[]): Document.Parsed[] {
  for (const doc of documents) if (doc.errors.length > MAX_SYNTAX_PROBLEMS) doc.errors.length = MAX_SYNTAX_PROBLEMS;
  return documents;
}

/** The documents, with Go yaml's leniencies where strict YAML refuses what Flux applies (goYaml.ts). */
function parseText(text: string): { documents: Document.Parsed[]; strictOnly: StrictOnly[] } {
  const documents = parseStrict(text);
  if (documents.every((d) => d.errors.length === 0)) return { documents, strictOnly: [] };
  return goYamlParse(text, documents, parseStrict) ?? { documents, strictOnly: [] };
}

function parseStrict(text: string): Document.Parsed[] {
  // Every parser error is an Error: without stack traces a file of many errors parses 3-4 times faster.
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  let documents: Document.Parsed[];
  try {
    // logLevel 'error': the library's warnings (collection keys of a template) are not our output.
    const parsed = parseAllDocuments(text, { uniqueKeys: false, prettyErrors: false, logLevel: 'error' }) as Document.Parsed[];
    documents = Array.isArray(parsed) ? parsed : [parsed as unknown as Document.Parsed];
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
  return documents;
}

export function parseYamlFile(path: string, text: string): YamlFile {
  const lineStarts = computeLineStarts(text);
  const syntaxErrors: SyntaxProblem[] = [];
  let syntaxErrorCount = 0;
  let documents: Document.Parsed[] = [];
  const tooLarge = fileTooLarge(text);
  let strictOnly: StrictOnly[] = [];
  if (tooLarge) {
    syntaxErrorCount++;
    syntaxErrors.push({ message: tooLarge, range: rangeFromOffsets(lineStarts, 0, 0) });
  } else try {
    ({ documents, strictOnly } = parseText(text));
  } catch (error) {
    syntaxErrorCount++;
    syntaxErrors.push({ message: `YAML could not be parsed: ${(error as Error).message}`, range: rangeFromOffsets(lineStarts, 0, 0) });
  }
  const shape = shapeOf(path, text, documents, isKustomizationFileName(path));
  const resources: Resource[] = [];
  let sopsEncrypted = false;
  // The parser often reports one mistake twice from the same place; the first says it best.
  const linesWithErrors = new Set<number>();
  documents.forEach((doc, index) => {
    for (const error of doc.errors) {
      // Past the problems kept, only lines are counted (openingOf searches the text backwards).
      const [start, end] = syntaxErrors.length < MAX_SYNTAX_PROBLEMS ? openingOf(text, error.code, error.message, error.pos) : error.pos;
      const line = positionAt(lineStarts, start).line;
      if (linesWithErrors.has(line)) continue;
      linesWithErrors.add(line);
      syntaxErrorCount++;
      if (syntaxErrors.length < MAX_SYNTAX_PROBLEMS) syntaxErrors.push({ message: firstLine(error.message).replace(/ at line \d+, column \d+:?$/, ''), range: rangeFromOffsets(lineStarts, start, Math.max(start, end)) });
    }
    withFewErrors([doc]);
    if (doc.errors.length > 0) return;
    // Every document, not only objects: a list (a replacements file) is read by kustomize too.
    const read = readDocument(doc);
    let object = read.value;
    const problem = read.problem;
    if (problem) {
      syntaxErrorCount++;
      const [start, end] = read.at ?? [doc.range[0], Math.min(doc.range[1], lineEnd(text, doc.range[0]))];
      syntaxErrors.push({ message: problem, range: rangeFromOffsets(lineStarts, start, end) });
      return;
    }
    if (!isMap(doc.contents)) return;
    if (!object || typeof object !== 'object' || Array.isArray(object)) return;
    if (isSopsMetadata(object.sops)) sopsEncrypted = true;
    // Templates and other tools' YAML are not manifests: no rule sees them as objects.
    if (shape.kind !== 'manifest') return;
    // kustomize reads its own file's keys case-insensitively; every reader sees them as it does.
    if (isKustomizeDocument(path, object)) object = canonicalKustomization(object);
    // In a file SOPS encrypted whole, even the identity is ciphertext: an unknown, never a name.
    const kind = typeof object.kind === 'string' ? identifierOf(object.kind) ?? '' : '';
    const apiVersion = typeof object.apiVersion === 'string' ? identifierOf(object.apiVersion) ?? '' : '';
    const metadata = object.metadata && typeof object.metadata === 'object' ? object.metadata : {};
    if (!kind && !isKustomizationFileName(path)) return;
    resources.push({
      file: path,
      index,
      apiVersion,
      kind: kind || 'Kustomization',
      name: identifierOf(metadata.name) ?? '',
      namespace: metadata.namespace === undefined ? undefined : metadata.namespace === null ? '' : identifierOf(metadata.namespace),
      object,
      range: rangeFromOffsets(lineStarts, doc.range[0], doc.range[1]),
    });
  });
  const strictOnlyProblems = strictOnly.map(({ at, message }) => {
    const lineEnd = text.indexOf('\n', at);
    return { message, range: rangeFromOffsets(lineStarts, at, lineEnd < 0 ? text.length : lineEnd) };
  });
  const duplicateKeys = duplicateKeysOf(text, documents);
  return { path, text, lineStarts, documents, resources, syntaxErrors, syntaxErrorCount, strictOnlyProblems, duplicateKeys, shape, sopsEncrypted };
}

/** Reads and parses a file of the workspace; undefined when it cannot be read (it is then skipped). */
export function readYamlFile(root: string, path: string): YamlFile | undefined {
  let text: string;
  try {
    text = readFileSync(toAbsolute(root, path), 'utf8');
  } catch {
    return undefined;
  }
  return parseYamlFile(path, text);
}

/**
 * A parsed file without its documents: what a parse worker sends back (plain data). With several
 * documents, where each ends, so that one can be parsed again without the others.
 */
export type ParsedFileData = Omit<YamlFile, 'documents'> & { documentEnds?: number[] };

/** parseYamlFile's result as plain data: the documents dropped, their ends kept. */
export function withoutDocuments(file: YamlFile): ParsedFileData {
  const { documents, ...data } = file;
  return documents.length > 1 ? { ...data, documentEnds: documents.map((d) => d.range[2]) } : data;
}

/**
 * A file parsed elsewhere (a parse worker) whose documents are parsed again from its text on first
 * access, with the same options, so their ranges are those of an eager parse; then kept.
 */
class LazyYamlFile implements YamlFile {
  path: string;
  text: string;
  lineStarts: number[];
  resources: Resource[];
  syntaxErrors: SyntaxProblem[];
  syntaxErrorCount: number;
  strictOnlyProblems: SyntaxProblem[];
  duplicateKeys: DuplicateKey[];
  shape: FileShape;
  sopsEncrypted: boolean;
  #documents: Document.Parsed[] | undefined;
  readonly #documentEnds: number[] | undefined;

  constructor(data: ParsedFileData) {
    this.path = data.path;
    this.text = data.text;
    this.lineStarts = data.lineStarts;
    this.resources = data.resources;
    this.syntaxErrors = data.syntaxErrors;
    this.syntaxErrorCount = data.syntaxErrorCount;
    this.strictOnlyProblems = data.strictOnlyProblems;
    this.duplicateKeys = data.duplicateKeys;
    this.shape = data.shape;
    this.sopsEncrypted = data.sopsEncrypted;
    this.#documentEnds = data.documentEnds;
  }

  get documents(): Document.Parsed[] {
    if (!this.#documents) this.#documents = this.#documentEnds ? lazyDocuments(this.text, this.#documentEnds, () => this.#parseAll()) : this.#parseAll();
    return this.#documents;
  }

  #parseAll(): Document.Parsed[] {
    try {
      return parseDocuments(this.text);
    } catch {
      // parseYamlFile reported it as a syntax error and kept no documents.
      return [];
    }
  }

  set documents(documents: Document.Parsed[]) {
    this.#documents = documents;
  }

  get documentsParsed(): boolean {
    return this.#documents !== undefined;
  }

  /** The data it was made from (its documents not parsed for it). */
  data(): ParsedFileData {
    const { path, text, lineStarts, resources, syntaxErrors, syntaxErrorCount, strictOnlyProblems, duplicateKeys, shape, sopsEncrypted } = this;
    const data: ParsedFileData = { path, text, lineStarts, resources, syntaxErrors, syntaxErrorCount, strictOnlyProblems, duplicateKeys, shape, sopsEncrypted };
    if (this.#documentEnds) data.documentEnds = this.#documentEnds;
    return data;
  }
}

/**
 * The documents of a multi-document file, each parsed on first access from its own slice of the
 * text, its ranges shifted to the file's offsets (a large multi-document file is parsed only as
 * far as anyone looks). A slice that does not parse as exactly one clean document falls back to
 * parsing the whole file.
 */
function lazyDocuments(text: string, ends: readonly number[], parseAll: () => Document.Parsed[]): Document.Parsed[] {
  const parsed: (Document.Parsed | undefined)[] = new Array(ends.length);
  let all: Document.Parsed[] | undefined;
  const documentAt = (index: number): Document.Parsed | undefined => {
    if (all) return all[index];
    let doc = parsed[index];
    if (doc) return doc;
    const start = index === 0 ? 0 : ends[index - 1];
    let slice: Document.Parsed[] = [];
    try {
      slice = parseDocuments(text.slice(start, ends[index]));
    } catch {
      // handled below
    }
    if (slice.length !== 1 || slice[0].errors.length > 0) {
      all = parseAll();
      return all[index];
    }
    doc = slice[0];
    if (start > 0) shiftRanges(doc, start);
    parsed[index] = doc;
    return doc;
  };
  return new Proxy(parsed as Document.Parsed[], {
    get(target, property, receiver) {
      if (typeof property === 'string' && /^\d+$/.test(property)) return Number(property) < ends.length ? documentAt(Number(property)) : undefined;
      if (property === 'length') return all ? all.length : ends.length;
      return Reflect.get(target, property, receiver);
    },
    // map, forEach and filter skip the indices an array does not have: every document has one.
    has(target, property) {
      if (typeof property === 'string' && /^\d+$/.test(property)) return Number(property) < (all ? all.length : ends.length);
      return Reflect.has(target, property);
    },
  });
}

/** Moves every range of a document parsed from a slice to the offsets of the whole text. */
function shiftRanges(doc: Document.Parsed, by: number): void {
  const shift = (range: number[] | null | undefined) => {
    if (range) for (let i = 0; i < range.length; i++) range[i] += by;
  };
  shift(doc.range);
  visit(doc, {
    Node(_, node) {
      shift(node.range);
    },
  });
}

/** A parsed file as plain data (what a parse worker sends, what the parse cache keeps), its documents left unparsed where they are. */
export function parsedData(file: YamlFile): ParsedFileData {
  return file instanceof LazyYamlFile ? file.data() : withoutDocuments(file);
}

/** A YamlFile of parsed data whose documents are parsed on first access. */
export function withLazyDocuments(data: ParsedFileData): YamlFile {
  return new LazyYamlFile(data);
}

/** Whether a file's documents are in memory (always, unless it came from withLazyDocuments). */
export function documentsParsed(file: YamlFile): boolean {
  return file instanceof LazyYamlFile ? file.documentsParsed : true;
}

/** A kustomization file's document, or a document of kustomize's own Kustomization kind, however its keys are spelled. */
function isKustomizeDocument(path: string, object: Record<string, unknown>): boolean {
  const apiVersion = object.apiVersion ?? Object.entries(object).find(([k]) => k.toLowerCase() === 'apiversion')?.[1];
  if (typeof apiVersion === 'string' && apiVersion) return apiVersion.startsWith('kustomize.config.k8s.io/');
  return isKustomizationFileName(path);
}

export function isKustomizationFileName(path: string): boolean {
  const base = path.slice(path.lastIndexOf('/') + 1);
  return base === 'kustomization.yaml' || base === 'kustomization.yml' || base === 'Kustomization';
}

/**
 * The parser reports an unclosed quote or bracket where it gave up (often the end of the file);
 * the opening character is where the mistake is, so point from there to the end of its line.
 */
function openingOf(text: string, code: string, message: string, pos: [number, number]): [number, number] {
  const opener = code === 'MISSING_CHAR' && /"quote/.test(message) ? '"' : code === 'MISSING_CHAR' && /'quote/.test(message) ? "'" : /flow (sequence|mapping)|end with a [\]}]/i.test(message) ? (/sequence|\]/.test(message) ? '[' : '{') : undefined;
  if (!opener) return pos;
  const at = text.lastIndexOf(opener, Math.max(0, pos[0] - 1));
  if (at < 0) return pos;
  const lineEnd = text.indexOf('\n', at);
  return [at, lineEnd < 0 ? text.length : lineEnd];
}

function isSopsMetadata(value: unknown): boolean {
  if (!value || typeof value !== 'object') return false;
  const sops = value as Record<string, unknown>;
  return 'mac' in sops || 'age' in sops || 'pgp' in sops || 'kms' in sops || 'lastmodified' in sops;
}

function scalarString(value: unknown): string {
  return value === undefined || value === null ? '' : String(value);
}

function lineEnd(text: string, offset: number): number {
  const end = text.indexOf('\n', offset);
  return end < 0 ? text.length : end;
}

function firstLine(message: string): string {
  return message.split('\n')[0].trim();
}

