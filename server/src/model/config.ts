// `.gitops-guardrails.yaml` at the repository root: layers, rule severities, ignored paths and
// explicit cluster roots. A bad config yields problems on the config file, never an exception.
import picomatch from 'picomatch';
import type { Severity } from '../rules/types';
import { closeNames } from './distance';
import { rangeAtPath } from './positions';
import { plainValue } from './limits';
import type { NodePath, Range, YamlFile } from './types';

export const CONFIG_FILE = '.gitops-guardrails.yaml';

export interface LayerConfig {
  name: string;
  /** Folders (globs allowed) whose direct subfolders are the layer's components. */
  paths: string[];
}

export interface ClusterConfig {
  name: string;
  path: string;
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

export function readConfig(file: YamlFile | undefined, knownRuleIds: ReadonlySet<string>): { config: GuardrailsConfig; problems: ConfigProblem[] } {
  const problems: ConfigProblem[] = [];
  if (!file) return { config: DEFAULT_CONFIG, problems };
  const doc = file.documents[0];
  const at = (path: NodePath, message: string, target: 'key' | 'value' = 'value') =>
    problems.push({ message, range: (doc && rangeAtPath(file.lineStarts, doc, path, target)) ?? zeroRange() });
  if (file.syntaxErrors.length > 0) {
    for (const error of file.syntaxErrors) problems.push({ message: `${CONFIG_FILE} is not valid YAML: ${error.message}`, range: error.range });
    return { config: DEFAULT_CONFIG, problems };
  }
  const raw = (doc && plainValue(doc)) ?? {};
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    at([], `${CONFIG_FILE} must be a mapping with the keys ${TOP_LEVEL_KEYS.join(', ')}.`);
    return { config: DEFAULT_CONFIG, problems };
  }
  for (const key of Object.keys(raw)) {
    if (!TOP_LEVEL_KEYS.includes(key)) at([key], `Unknown key "${key}" in ${CONFIG_FILE}; expected one of ${TOP_LEVEL_KEYS.join(', ')}.`, 'key');
  }
  const config: GuardrailsConfig = { rules: {}, ignore: [], crdCharts: {} };

  if (raw.layers !== undefined) {
    if (!Array.isArray(raw.layers)) at(['layers'], '"layers" must be a list of {name, paths}, lowest layer first.');
    else {
      config.layers = [];
      raw.layers.forEach((layer: any, i: number) => {
        if (!layer || typeof layer !== 'object' || typeof layer.name !== 'string' || !layer.name) {
          at(['layers', i], 'Each layer needs a "name" (a string).');
          return;
        }
        const paths = typeof layer.paths === 'string' ? [layer.paths] : layer.paths;
        if (!Array.isArray(paths) || paths.length === 0 || !paths.every((p: unknown) => typeof p === 'string' && p)) {
          at(['layers', i, 'paths'], `Layer "${layer.name}" needs "paths": a list of folders (globs allowed) whose subfolders are its components.`);
          return;
        }
        config.layers!.push({ name: layer.name, paths: paths.map(normaliseFolder) });
      });
    }
  }

  if (raw.layerOrder !== undefined) {
    const list = raw.layerOrder;
    if (!Array.isArray(list) || list.length === 0 || !list.every((n: unknown) => typeof n === 'string' && n)) at(['layerOrder'], '"layerOrder" must be a list of layer names, lowest first.');
    else config.layerOrder = list;
  }

  if (raw.rules !== undefined) {
    if (!raw.rules || typeof raw.rules !== 'object' || Array.isArray(raw.rules)) at(['rules'], '"rules" must map rule ids to a severity: error, warning, information, hint or off.');
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

  if (raw.ignore !== undefined) {
    const list = typeof raw.ignore === 'string' ? [raw.ignore] : raw.ignore;
    if (!Array.isArray(list) || !list.every((p: unknown) => typeof p === 'string')) at(['ignore'], '"ignore" must be a list of glob patterns.');
    else config.ignore = list;
  }

  if (raw.clusters !== undefined) {
    if (!Array.isArray(raw.clusters)) at(['clusters'], '"clusters" must be a list of {name, path}.');
    else {
      config.clusters = [];
      raw.clusters.forEach((cluster: any, i: number) => {
        if (!cluster || typeof cluster.name !== 'string' || typeof cluster.path !== 'string') {
          at(['clusters', i], 'Each cluster needs a "name" and a "path" (its root folder).');
          return;
        }
        config.clusters!.push({ name: cluster.name, path: normaliseFolder(cluster.path) });
      });
    }
  }
  if (raw.crdCharts !== undefined) {
    if (!raw.crdCharts || typeof raw.crdCharts !== 'object' || Array.isArray(raw.crdCharts)) at(['crdCharts'], '"crdCharts" must map chart names to the API groups whose CRDs they install.');
    else {
      for (const [chart, groups] of Object.entries(raw.crdCharts)) {
        const list = typeof groups === 'string' ? [groups] : groups;
        if (!Array.isArray(list) || !list.every((g) => typeof g === 'string')) at(['crdCharts', chart], `CRD groups of chart "${chart}" must be a list of API groups, e.g. [example.com].`);
        else config.crdCharts[chart] = list;
      }
    }
  }
  return { config, problems };
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
