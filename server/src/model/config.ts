// `.gitops-guardrails.yaml` at the repository root: layers, rule severities, ignored paths and
// explicit cluster roots. A bad config yields problems on the config file, never an exception.
import picomatch from 'picomatch';
import type { Severity } from '../rules/types';
import { closeNames } from './distance';
import type { FileTree } from './kustomize';
import { rangeAtPath, rangeFromOffsets } from './positions';
import { readDocument } from './limits';
import type { NodePath, Range, YamlFile } from './types';

export const CONFIG_FILE = '.gitops-guardrails.yaml';

export interface LayerConfig {
  name: string;
  /** Folders (globs allowed) whose direct subfolders are the layer's components. */
  paths: string[];
  /** Where the config spells each of `paths`, for a finding when it matches no folder. */
  ranges?: (Range | undefined)[];
}

export interface ClusterConfig {
  name: string;
  path: string;
  /** Where the config spells the path, for a finding when it is no folder. */
  range?: Range;
}

export interface GuardrailsConfig {
  layers?: LayerConfig[];
  rules: Record<string, Severity | 'off'>;
  ignore: string[];
  clusters?: ClusterConfig[];
  /** Layer names lowest first, for layers named by labels or found by convention. */
  layerOrder?: string[];
  /** Charts that install CRDs, by chart name: the API groups they serve. */
  crdCharts: Record<string, string[]>;
}

export interface ConfigProblem {
  message: string;
  range: Range;
}

export const DEFAULT_CONFIG: GuardrailsConfig = { rules: {}, ignore: [], crdCharts: {} };

const SEVERITIES = new Set(['error', 'warning', 'information', 'hint', 'off']);
const TOP_LEVEL_KEYS = ['layers', 'layerOrder', 'rules', 'ignore', 'clusters', 'crdCharts'];


/**
 * Reads and validates the config. Never throws: every invalid entry is a problem at its own
 * range that names what is wrong, and the valid rest of the config still applies.
 */
export function readConfig(file: YamlFile | undefined, knownRuleIds: ReadonlySet<string>): { config: GuardrailsConfig; problems: ConfigProblem[] } {
  const problems: ConfigProblem[] = [];
  if (!file) return { config: DEFAULT_CONFIG, problems };
  try {
    return { config: validate(file, knownRuleIds, problems), problems };
  } catch (error) {
    // Nothing above should throw; if it does, the config is reported, not the editor killed.
    problems.push({ message: `${CONFIG_FILE} could not be read (${(error as Error)?.name ?? 'Error'}); the built-in defaults apply.`, range: zeroRange() });
    return { config: DEFAULT_CONFIG, problems };
  }
}

function validate(file: YamlFile, knownRuleIds: ReadonlySet<string>, problems: ConfigProblem[]): GuardrailsConfig {
  const doc = file.documents[0];
  const at = (path: NodePath, message: string, target: 'key' | 'value' = 'value') =>
    problems.push({ message, range: (doc && rangeAtPath(file.lineStarts, doc, path, target)) ?? zeroRange() });
  if (file.syntaxErrors.length > 0) {
    for (const error of file.syntaxErrors) problems.push({ message: `${CONFIG_FILE} is not valid YAML: ${error.message}`, range: error.range });
    return DEFAULT_CONFIG;
  }
  for (const extra of file.documents.slice(1)) {
    if (extra.contents === null) continue;
    const start = extra.range[0];
    let end = (extra.contents as { range?: [number, number, number] }).range?.[1] ?? extra.range[1];
    while (end > start && /\s/.test(file.text[end - 1])) end--;
    problems.push({ message: `${CONFIG_FILE} holds more than one YAML document; only the first is read.`, range: rangeFromOffsets(file.lineStarts, start, Math.max(start, end)) });
  }
  const read = doc ? readDocument(doc) : { value: {} };
  if (read.problem !== undefined) {
    at([], `${CONFIG_FILE} is not read, the built-in defaults apply: ${read.problem}`);
    return DEFAULT_CONFIG;
  }
  let raw: any = read.value ?? {};
  if (raw === null) raw = {};
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    at([], `${CONFIG_FILE} must be a mapping with the keys ${TOP_LEVEL_KEYS.join(', ')}.`);
    return DEFAULT_CONFIG;
  }
  for (const key of Object.keys(raw)) {
    if (!TOP_LEVEL_KEYS.includes(key)) at([key], `Unknown key "${key}" in ${CONFIG_FILE}; expected one of ${TOP_LEVEL_KEYS.join(', ')}.`, 'key');
  }
  const config: GuardrailsConfig = { rules: {}, ignore: [], crdCharts: {} };
  // A key written without a value yet (`ignore:` while typing) is a key not set.
  const given = (key: string) => raw[key] !== undefined && raw[key] !== null;

  if (given('layers')) {
    if (!Array.isArray(raw.layers)) at(['layers'], '"layers" must be a list of {name, paths}, lowest layer first.');
    else {
      config.layers = [];
      const names = new Set<string>();
      raw.layers.forEach((layer: any, i: number) => {
        if (!isPlainObject(layer) || typeof layer.name !== 'string' || !layer.name.trim()) {
          at(isPlainObject(layer) && layer.name !== undefined ? ['layers', i, 'name'] : ['layers', i], 'Each layer needs a "name" (a non-empty string).');
          return;
        }
        if (names.has(layer.name)) {
          at(['layers', i, 'name'], `Layer "${layer.name}" is named twice; the first one counts.`);
          return;
        }
        names.add(layer.name);
        const single = typeof layer.paths === 'string';
        const list: unknown[] | undefined = single ? [layer.paths] : Array.isArray(layer.paths) ? layer.paths : undefined;
        if (!list || list.length === 0) {
          at(layer.paths === undefined ? ['layers', i] : ['layers', i, 'paths'], `Layer "${layer.name}" needs "paths": a list of folders (globs allowed) whose subfolders are its components.`);
          return;
        }
        const paths: string[] = [];
        const ranges: (Range | undefined)[] = [];
        list.forEach((p, j) => {
          const where: NodePath = single ? ['layers', i, 'paths'] : ['layers', i, 'paths', j];
          const problem = globProblem(p, 'a folder');
          if (problem) at(where, `Layer "${layer.name}": ${problem}`);
          else {
            paths.push(normaliseFolder(p as string));
            ranges.push(doc ? rangeAtPath(file.lineStarts, doc, where) : undefined);
          }
        });
        if (paths.length > 0) config.layers!.push({ name: layer.name, paths, ranges });
      });
    }
  }

  if (given('layerOrder')) {
    const list = raw.layerOrder;
    if (!Array.isArray(list) || list.length === 0 || !list.every((n: unknown) => typeof n === 'string' && n)) at(['layerOrder'], '"layerOrder" must be a list of layer names, lowest first.');
    else config.layerOrder = list;
  }

  if (given('rules')) {
    if (!isPlainObject(raw.rules)) at(['rules'], '"rules" must map rule ids to a severity: error, warning, information, hint or off.');
    else {
      for (const [id, severity] of Object.entries(raw.rules)) {
        if (!knownRuleIds.has(id)) {
          at(['rules', id], `Unknown rule "${id}".${suggest(id, knownRuleIds)}`, 'key');
          continue;
        }
        if (typeof severity !== 'string' || !SEVERITIES.has(severity)) {
          at(['rules', id], `Severity of "${id}" must be one of error, warning, information, hint, off.`);
          continue;
        }
        config.rules[id] = severity as Severity | 'off';
      }
    }
  }

  if (given('ignore')) {
    if (typeof raw.ignore === 'string') {
      const problem = globProblem(raw.ignore, 'a path');
      if (problem) at(['ignore'], `"ignore": ${problem}`);
      else config.ignore = [raw.ignore];
    } else if (!Array.isArray(raw.ignore)) at(['ignore'], '"ignore" must be a list of glob patterns.');
    else {
      raw.ignore.forEach((pattern: unknown, i: number) => {
        const problem = globProblem(pattern, 'a path');
        if (problem) at(['ignore', i], `"ignore" entry ${i + 1}: ${problem}`);
        else config.ignore.push(pattern as string);
      });
    }
  }

  if (given('clusters')) {
    if (!Array.isArray(raw.clusters)) at(['clusters'], '"clusters" must be a list of {name, path}.');
    else {
      config.clusters = [];
      const names = new Set<string>();
      raw.clusters.forEach((cluster: any, i: number) => {
        if (!isPlainObject(cluster)) {
          at(['clusters', i], 'Each cluster needs a "name" and a "path" (its root folder).');
          return;
        }
        if (typeof cluster.name !== 'string' || !cluster.name.trim()) {
          at(cluster.name === undefined ? ['clusters', i] : ['clusters', i, 'name'], 'Each cluster needs a "name" (a non-empty string).');
          return;
        }
        if (typeof cluster.path !== 'string' || !cluster.path.trim()) {
          at(cluster.path === undefined ? ['clusters', i] : ['clusters', i, 'path'], `Cluster "${cluster.name}" needs a "path": its root folder, relative to the repository root.`);
          return;
        }
        if (names.has(cluster.name)) {
          at(['clusters', i, 'name'], `Cluster "${cluster.name}" is named twice; the first one counts.`);
          return;
        }
        names.add(cluster.name);
        config.clusters!.push({ name: cluster.name, path: normaliseFolder(cluster.path), range: doc ? rangeAtPath(file.lineStarts, doc, ['clusters', i, 'path']) : undefined });
      });
    }
  }
  if (given('crdCharts')) {
    if (!isPlainObject(raw.crdCharts)) at(['crdCharts'], '"crdCharts" must map chart names to the API groups whose CRDs they install.');
    else {
      for (const [chart, groups] of Object.entries(raw.crdCharts)) {
        const list = typeof groups === 'string' ? [groups] : groups;
        if (!Array.isArray(list) || list.length === 0 || !list.every((g) => typeof g === 'string' && g)) at(['crdCharts', chart], `CRD groups of chart "${chart}" must be a list of API groups, e.g. [example.com].`);
        else config.crdCharts[chart] = list;
      }
    }
  }
  return config;
}

/**
 * What is wrong with a glob of the config, or undefined. `what` says what it should match.
 * picomatch is asked too: a pattern it refuses would otherwise throw wherever paths are matched.
 */
function globProblem(pattern: unknown, what: string): string | undefined {
  if (typeof pattern !== 'string') return `expected ${what} or a glob pattern (a string), found ${pattern === null ? 'nothing' : Array.isArray(pattern) ? 'a list' : typeof pattern === 'object' ? 'a mapping' : `the ${typeof pattern} ${String(pattern)}`}.`;
  if (!pattern.trim()) return `an empty pattern matches nothing; remove it or write ${what}.`;
  if (pattern.startsWith('/') || /^[A-Za-z]:[\\/]/.test(pattern)) return `"${shorten(pattern)}" is absolute; patterns are relative to the repository root.`;
  try {
    picomatch(pattern, { dot: true });
  } catch (error) {
    return `"${shorten(pattern)}" is not a valid glob pattern (${(error as Error).message}).`;
  }
  return undefined;
}

/**
 * The configured folders that the workspace does not have: a cluster whose `path` is no folder
 * (misspelt, moved) would check nothing. Such a cluster is dropped from the graph (see
 * `usableConfig`), and reported here at its `path`. So is a layer folder (or glob) that matches
 * no folder.
 */
export function configPathProblems(config: GuardrailsConfig, tree: FileTree, folders: readonly string[]): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const layer of config.layers ?? []) {
    layer.paths.forEach((pattern, i) => {
      const glob = picomatch.scan(pattern).isGlob;
      const match = glob ? picomatch(pattern, { dot: true }) : undefined;
      const found = match ? folders.some((folder) => match(folder)) : pattern === '' || tree.kindOf(pattern) === 'folder';
      if (found) return;
      const message = glob
        ? `Layer "${layer.name}": "${shorten(pattern)}" matches no folder; the layer has no components there.`
        : `Layer "${layer.name}": folder "${shorten(pattern)}" does not exist; the layer has no components there.${suggestFolder(pattern, tree)}`;
      problems.push({ message, range: layer.ranges?.[i] ?? zeroRange() });
    });
  }
  for (const cluster of config.clusters ?? []) {
    const kind = tree.kindOf(cluster.path);
    if (kind === 'folder' || cluster.path === '') continue;
    const message =
      kind === 'file'
        ? `Cluster "${cluster.name}": path "${shorten(cluster.path)}" is a file; a cluster's path is its root folder.`
        : `Cluster "${cluster.name}": path "${shorten(cluster.path)}" does not exist; this cluster is not checked.${suggestFolder(cluster.path, tree)}`;
    problems.push({ message, range: cluster.range ?? zeroRange() });
  }
  return problems;
}

/** The config the graph is derived from: clusters whose folder exists. */
export function usableConfig(config: GuardrailsConfig, tree: FileTree): GuardrailsConfig {
  if (!config.clusters) return config;
  const clusters = config.clusters.filter((c) => c.path === '' || tree.kindOf(c.path) === 'folder');
  return clusters.length === config.clusters.length ? config : { ...config, clusters };
}

function suggestFolder(folder: string, tree: FileTree): string {
  const slash = folder.lastIndexOf('/');
  const parent = slash < 0 ? '' : folder.slice(0, slash);
  if (parent !== '' && tree.kindOf(parent) !== 'folder') return '';
  const close = closeNames(folder, tree.children(parent).folders);
  return close.length > 0 ? ` Did you mean ${close.slice(0, 2).join(' or ')}?` : '';
}

function isPlainObject(value: unknown): value is Record<string, any> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** A value quoted in a message, cut short: the config is the user's, but a message is one line. */
function shorten(text: string): string {
  const line = text.replace(/[\u0000-\u001f\u007f]/g, '?');
  return line.length > 80 ? `${line.slice(0, 77)}...` : line;
}

export function ignoreMatcher(config: GuardrailsConfig): (repoPath: string) => boolean {
  if (config.ignore.length === 0) return () => false;
  const match = picomatch(config.ignore, { dot: true });
  return (repoPath) => match(repoPath);
}

function normaliseFolder(folder: string): string {
  return folder.replace(/^\.\/+/, '').replace(/\/+$/, '');
}

function zeroRange(): Range {
  return { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
}

function suggest(id: string, known: ReadonlySet<string>): string {
  const close = closeNames(id, known);
  return close.length > 0 ? ` Did you mean ${close.slice(0, 2).join(' or ')}?` : '';
}
