// configMapGenerator and secretGenerator: key/value pairs from env files, literals and files, as
// kustomize's kv loader reads them, into a ConfigMap or Secret that gets a content-hash suffix.
import { basename } from '../paths';
import { BuildFailure } from './resources';
import type { SourceRef } from './types';

export interface GeneratorOptions {
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  disableNameSuffixHash?: boolean;
  immutable?: boolean;
}

const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;
const DATA_KEY = /^[-._a-zA-Z0-9]+$/;

/** Global generatorOptions over one generator's options, as kustomize merges them (global wins). */
export function mergeOptions(local: any, global: any): GeneratorOptions {
  const l = local && typeof local === 'object' ? local : {};
  const g = global && typeof global === 'object' ? global : {};
  const labels = l.labels || g.labels ? { ...(l.labels ?? {}), ...(g.labels ?? {}) } : undefined;
  const annotations = l.annotations || g.annotations ? { ...(l.annotations ?? {}), ...(g.annotations ?? {}) } : undefined;
  return {
    labels,
    annotations,
    disableNameSuffixHash: g.disableNameSuffixHash === true || l.disableNameSuffixHash === true,
    immutable: g.immutable === true || l.immutable === true,
  };
}

function removeQuotes(s: string): string {
  if (s.length < 2 || s[0] !== s[s.length - 1]) return s;
  return s[0] === '"' || s[0] === "'" ? s.slice(1, -1) : s;
}

export interface GeneratorInput {
  /** A file's text, relative to the kustomization's folder; throws a BuildFailure when missing. */
  load(path: string, nodePath: (string | number)[]): string;
  /** A file's bytes (a `files:` entry need not be text). */
  loadBytes(path: string, nodePath: (string | number)[]): Uint8Array;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** The bytes as text when they are valid UTF-8 (Go's utf8.Valid), else undefined. */
function utf8(bytes: Uint8Array): string | undefined {
  try {
    return UTF8.decode(bytes);
  } catch {
    return undefined;
  }
}

/**
 * The key/value lines of an env file as kustomize's kv loader reads them: blank lines and `#`
 * comments skipped, leading blanks dropped, the key before the first `=` (a line without one is a
 * key with an empty value); `line` is 0-based. Keys are not checked here.
 */
export function envFileLines(text: string): Array<{ key: string; value: string; line: number }> {
  const result: Array<{ key: string; value: string; line: number }> = [];
  text.split('\n').forEach((raw, lineNumber) => {
    let line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (lineNumber === 0 && line.startsWith('\ufeff')) line = line.slice(1);
    line = line.replace(/^\s+/, '');
    if (line === '' || line.startsWith('#')) return;
    const eq = line.indexOf('=');
    result.push({ key: eq < 0 ? line : line.slice(0, eq), value: eq < 0 ? '' : line.slice(eq + 1), line: lineNumber });
  });
  return result;
}

/** A generator literal `key=value` as kustomize splits it (quotes around the value dropped), or undefined when it has no key. */
export function literalPair(literal: unknown): [string, string] | undefined {
  const s = String(literal);
  const eq = s.indexOf('=');
  return eq <= 0 ? undefined : [s.slice(0, eq), removeQuotes(s.slice(eq + 1))];
}

/** The pairs of a generator entry: env files, then literals, then files (kustomize's order). */
function pairsOf(args: any, field: string, index: number, input: GeneratorInput, source: SourceRef): Array<[string, string | Uint8Array]> {
  const pairs: Array<[string, string | Uint8Array]> = [];
  const at = (key: string, j: number) => [field, index, key, j];
  const envs = [...(Array.isArray(args.envs) ? args.envs : []), ...(typeof args.env === 'string' ? [args.env] : [])];
  envs.forEach((path: unknown, j: number) => {
    const text = input.load(String(path), at('envs', j));
    for (const { key, value } of envFileLines(text)) {
      if (!ENV_NAME.test(key)) throw new BuildFailure(`"${key}" is not a valid key name in env file ${String(path)}`, { ...source, nodePath: at('envs', j) });
      pairs.push([key, value]);
    }
  });
  (Array.isArray(args.literals) ? args.literals : []).forEach((literal: unknown, j: number) => {
    const pair = literalPair(literal);
    if (!pair) throw new BuildFailure(`invalid literal source ${String(literal)}, expected key=value`, { ...source, nodePath: at('literals', j) });
    pairs.push(pair);
  });
  (Array.isArray(args.files) ? args.files : []).forEach((entry: unknown, j: number) => {
    const s = String(entry);
    const separators = s.split('=').length - 1;
    let key: string;
    let path: string;
    if (separators === 0) [key, path] = [basename(s), s];
    else if (separators === 1 && !s.startsWith('=') && !s.endsWith('=')) [key, path] = s.split('=') as [string, string];
    else throw new BuildFailure(`invalid file source ${s}`, { ...source, nodePath: at('files', j) });
    const bytes = input.loadBytes(path, at('files', j));
    pairs.push([key, utf8(bytes) ?? bytes]);
  });
  return pairs;
}

export interface Generated {
  object: any;
  needsHash: boolean;
  behavior: string;
  nodePath: (string | number)[];
}

export function generate(kind: 'ConfigMap' | 'Secret', args: any, index: number, globalOptions: unknown, input: GeneratorInput, source: SourceRef): Generated {
  const field = kind === 'ConfigMap' ? 'configMapGenerator' : 'secretGenerator';
  const nodePath = [field, index];
  const here = { ...source, nodePath };
  if (!args || typeof args !== 'object') throw new BuildFailure(`${field} entry ${index} is not a map`, here);
  if (typeof args.name !== 'string' || args.name === '') throw new BuildFailure(`a ${kind.toLowerCase()} must have a name`, here);
  // Values that are not valid UTF-8 (a file's bytes) go to a ConfigMap's binaryData, base64 encoded.
  const data: Record<string, string | Uint8Array> = {};
  for (const [key, value] of pairsOf(args, field, index, input, source)) {
    if (!DATA_KEY.test(key)) throw new BuildFailure(`"${key}" is not a valid key name for a ${kind}`, here);
    if (key in data) throw new BuildFailure(`${kind.toLowerCase()} ${args.name} illegally repeats the key \`${key}\``, here);
    data[key] = value;
  }
  const metadata: any = { name: args.name };
  if (typeof args.namespace === 'string' && args.namespace !== '') metadata.namespace = args.namespace;
  const object: any = { apiVersion: 'v1', kind, metadata };
  if (kind === 'ConfigMap') {
    const text = Object.entries(data).filter((e): e is [string, string] => typeof e[1] === 'string');
    const binary = Object.entries(data).filter((e): e is [string, Uint8Array] => typeof e[1] !== 'string');
    if (text.length > 0) object.data = Object.fromEntries(text);
    if (binary.length > 0) object.binaryData = Object.fromEntries(binary.map(([k, v]) => [k, base64Lines(v)]));
  } else {
    object.type = typeof args.type === 'string' && args.type !== '' ? args.type : 'Opaque';
    object.data = Object.fromEntries(Object.entries(data).map(([k, v]) => [k, base64Lines(v)]));
  }
  const options = mergeOptions(args.options, globalOptions);
  if (options.labels && Object.keys(options.labels).length > 0) metadata.labels = Object.fromEntries(Object.entries(options.labels).map(([k, v]) => [k, String(v)]));
  if (options.annotations && Object.keys(options.annotations).length > 0) metadata.annotations = Object.fromEntries(Object.entries(options.annotations).map(([k, v]) => [k, String(v)]));
  if (options.immutable) object.immutable = true;
  const behavior = typeof args.behavior === 'string' && args.behavior !== '' ? args.behavior : 'create';
  if (!['create', 'merge', 'replace'].includes(behavior)) throw new BuildFailure(`unknown behavior "${behavior}"`, here);
  return { object, needsHash: !options.disableNameSuffixHash, behavior, nodePath };
}

/** Base64 as kustomize writes a Secret's data and a ConfigMap's binaryData: lines of 70 characters, each ended when there are several. */
function base64Lines(value: string | Uint8Array): string {
  const encoded = (typeof value === 'string' ? Buffer.from(value, 'utf8') : Buffer.from(value)).toString('base64');
  if (encoded.length < 70) return encoded;
  const lines: string[] = [];
  for (let i = 0; i < encoded.length; i += 70) lines.push(encoded.slice(i, i + 70));
  return lines.map((l) => `${l}\n`).join('');
}
