// Shared by helm/invalid-values and helm/unknown-value: the HelmReleases a cluster applies whose
// chart is resolved, with their values merged as helm-controller merges them, and where in the
// release a values path is written (spec.values, a valuesFrom entry) for findings' ranges.
import type { RepoModel } from '../model/model';
import type { ReleaseChart } from '../model/charts/resolve';
import type { LoadedChart } from '../model/charts/types';
import { isPlainMap, mergeReleaseValues, type MergedValues, type ValuesObject } from '../model/charts/values';
import type { NodePath, Range, Resource } from '../model/types';
import { isPlaceholder } from '../schema/index';
import { valuesDocumentation } from '../schema/values';
import { deadFiles } from './schema-invalid';

export interface CheckedRelease {
  resource: Resource;
  chart: LoadedChart;
  merged: MergedValues;
  /** spec.values as written (a map), or {}. */
  values: Record<string, unknown>;
  releaseChart: ReleaseChart;
}

/** Live HelmReleases with a resolved chart, their values merged. */
export function checkedReleases(model: RepoModel): CheckedRelease[] {
  const dead = deadFiles(model);
  const out: CheckedRelease[] = [];
  for (const [resource, releaseChart] of model.charts) {
    if (releaseChart.resolution.status !== 'resolved' || dead(resource.file)) continue;
    const chart = releaseChart.resolution.chart;
    const defaults = chart.valuesYaml === undefined ? {} : valuesDocumentation(chart.valuesYaml)?.value;
    if (!isPlainMap(defaults)) continue;
    const spec = resource.object?.spec;
    const merged = mergeReleaseValues(spec, defaults, (kind, name) => findValuesObject(model, resource, kind, name));
    out.push({ resource, chart, merged, values: isPlainMap(spec?.values) ? spec.values : {}, releaseChart });
  }
  return out;
}

/**
 * A ConfigMap or Secret of that name in the release's namespace, applied by one of its clusters:
 * the two land in the same namespace in a cluster they share (as far as the build can say; where
 * it cannot, the object is not found, and the entry's values are unknown).
 */
function findValuesObject(model: RepoModel, release: Resource, kind: string, name: string): ValuesObject {
  const clusters = model.graph.clustersOf.get(release.file);
  for (const file of model.files.values()) {
    for (const r of file.resources) {
      if (r.kind !== kind || r.name !== name || r.apiVersion !== 'v1') continue;
      const theirs = model.graph.clustersOf.get(r.file);
      const shared = clusters && clusters.size > 0 ? [...clusters].filter((c) => theirs?.has(c)) : undefined;
      const together = shared === undefined ? sameNamespace(model.namespaceOf(release), model.namespaceOf(r)) : shared.some((c) => sameNamespace(model.namespaceOf(release, c), model.namespaceOf(r, c)));
      if (together) return { object: r.object, encrypted: file.sopsEncrypted };
    }
  }
  return undefined;
}

/** Both namespaces known and equal. */
function sameNamespace(a: string | undefined, b: string | undefined): boolean {
  return a !== undefined && a === b;
}

export function valueAt(value: unknown, path: NodePath): unknown {
  let current: any = value;
  for (const step of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = current[step];
  }
  return current;
}

/** Whether `path` is written in a map (its last key present, whatever its value). */
export function written(value: unknown, path: NodePath): boolean {
  if (path.length === 0) return isPlainMap(value);
  const parent = valueAt(value, path.slice(0, -1));
  return parent !== null && typeof parent === 'object' && Object.prototype.hasOwnProperty.call(parent, path[path.length - 1]);
}

/** A value Flux substitutes or SOPS decrypts later, at the path or above it: not judged as written. */
export function placeholderOnPath(value: unknown, path: NodePath): boolean {
  for (let i = 0; i <= path.length; i++) if (isPlaceholder(valueAt(value, path.slice(0, i)))) return true;
  return false;
}

/** The range of a values path inside spec.values. */
export function valuesRange(model: RepoModel, release: CheckedRelease, path: NodePath, target: 'key' | 'value'): Range {
  return model.rangeOf(release.resource, ['spec', 'values', ...path], target);
}

/** The deepest ancestor of `path` written in spec.values ([] when none; `spec.values` itself may be absent). */
export function deepestWritten(values: unknown, path: NodePath): NodePath {
  for (let i = path.length; i > 0; i--) if (written(values, path.slice(0, i))) return path.slice(0, i);
  return [];
}

/**
 * A key that exists one level off: under a sibling (`tag` written beside `image` instead of under
 * it) or beside its parent (`image.replicas` for `replicas`). `keysAt(path)` lists the chart's keys
 * of the map at a values path, undefined where the map is free-form or absent.
 */
export function misplacedKey(key: string, path: NodePath, keysAt: (path: NodePath) => readonly string[] | undefined): string | undefined {
  const here = keysAt(path) ?? [];
  for (const sibling of here) {
    if (sibling === key) continue;
    if (keysAt([...path, sibling])?.includes(key)) return [...path, sibling, key].join('.');
  }
  if (path.length > 0 && keysAt(path.slice(0, -1))?.includes(key)) return [...path.slice(0, -1), key].join('.');
  return undefined;
}
