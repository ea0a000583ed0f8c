// Parsing one file into documents and resources, keeping every node's source range.
import { parseAllDocuments, isMap, type Document } from 'yaml';
import { computeLineStarts, positionAt, rangeFromOffsets } from './positions';
import type { Resource, SyntaxProblem, YamlFile } from './types';

export function isYamlPath(path: string): boolean {
  return /\.ya?ml$/i.test(path);
}

export function parseYamlFile(path: string, text: string): YamlFile {
  const lineStarts = computeLineStarts(text);
  const syntaxErrors: SyntaxProblem[] = [];
  let documents: Document.Parsed[] = [];
  try {
    documents = parseAllDocuments(text, { uniqueKeys: false, prettyErrors: false }) as Document.Parsed[];
    if (!Array.isArray(documents)) documents = [documents as unknown as Document.Parsed];
  } catch (error) {
    syntaxErrors.push({ message: `YAML could not be parsed: ${(error as Error).message}`, range: rangeFromOffsets(lineStarts, 0, 0) });
  }
  const resources: Resource[] = [];
  let sopsEncrypted = false;
  documents.forEach((doc, index) => {
    for (const error of doc.errors) {
      const [start, end] = openingOf(text, error.code, error.message, error.pos);
      // The parser often reports one mistake twice from the same place; the first says it best.
      if (syntaxErrors.some((e) => e.range.start.line === positionAt(lineStarts, start).line)) continue;
      syntaxErrors.push({ message: firstLine(error.message).replace(/ at line \d+, column \d+:?$/, ''), range: rangeFromOffsets(lineStarts, start, Math.max(start, end)) });
    }
    if (doc.errors.length > 0 || !isMap(doc.contents)) return;
    let object: any;
    try {
      object = doc.toJS({ maxAliasCount: 1000 });
    } catch (error) {
      syntaxErrors.push({ message: firstLine((error as Error).message), range: rangeFromOffsets(lineStarts, doc.range[0], doc.range[1]) });
      return;
    }
    if (!object || typeof object !== 'object' || Array.isArray(object)) return;
    if (isSopsMetadata(object.sops)) sopsEncrypted = true;
    const kind = typeof object.kind === 'string' ? object.kind : '';
    const apiVersion = typeof object.apiVersion === 'string' ? object.apiVersion : '';
    const metadata = object.metadata && typeof object.metadata === 'object' ? object.metadata : {};
    if (!kind && !isKustomizationFileName(path)) return;
    resources.push({
      file: path,
      index,
      apiVersion,
      kind: kind || 'Kustomization',
      name: scalarString(metadata.name),
      namespace: metadata.namespace === undefined ? undefined : scalarString(metadata.namespace),
      object,
      range: rangeFromOffsets(lineStarts, doc.range[0], doc.range[1]),
    });
  });
  return { path, text, lineStarts, documents, resources, syntaxErrors, sopsEncrypted };
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

function firstLine(message: string): string {
  return message.split('\n')[0].trim();
}

