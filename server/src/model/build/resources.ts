// A resource while it is being built: its content, where it came from, and the ids kustomize
// remembers for it (its original id, the ids it had before a rename) to select and re-link it.
import { CLUSTER_SCOPED } from './kustomizeDefaults';
import type { ChainStep, SourceRef } from './types';

export interface ResId {
  apiVersion: string;
  kind: string;
  name: string;
  namespace: string;
}

export interface Res {
  object: any;
  source: SourceRef;
  chain: ChainStep[];
  /** The id it was read or generated with. */
  orgId: ResId;
  /** Ids stored before a transformation that may rename it (kustomize's previous ids). */
  prevIds: ResId[];
  /** A generated ConfigMap or Secret whose name gets the content hash. */
  needsHash: boolean;
  /** Generator behaviour: create, merge or replace. */
  behavior?: string;
  /** Name prefixes and suffixes applied, innermost first (kustomize tells references apart by them). */
  prefixes?: string[];
  suffixes?: string[];
}

/** Why kustomize refuses, where another rule already says it: a path that is missing, YAML that does not parse. */
export type FailureCode = 'missing-path' | 'yaml-syntax' | 'patch-no-target';

export class BuildFailure extends Error {
  constructor(
    message: string,
    readonly source: SourceRef,
    readonly code?: FailureCode,
  ) {
    super(message);
  }
}

export class Unseen extends Error {
  constructor(
    reason: string,
    readonly source: SourceRef,
  ) {
    super(reason);
  }
}

export function groupVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

export function isClusterScoped(apiVersion: string, kind: string, extra?: ReadonlySet<string>): boolean {
  return CLUSTER_SCOPED.has(`${apiVersion}/${kind}`) || !!extra?.has(`${groupVersion(apiVersion).group}/${kind}`);
}

export function curId(r: Res): ResId {
  const o = r.object ?? {};
  return {
    apiVersion: String(o.apiVersion ?? ''),
    kind: String(o.kind ?? ''),
    name: String(o.metadata?.name ?? ''),
    namespace: o.metadata?.namespace == null ? '' : String(o.metadata.namespace),
  };
}

/** kustomize's effective namespace: '' and 'default' are the same for a namespaced kind. */
export function effectiveNamespace(id: ResId): string {
  if (isClusterScoped(id.apiVersion, id.kind)) return '_cluster';
  return id.namespace === '' ? 'default' : id.namespace;
}

export function sameId(a: ResId, b: ResId): boolean {
  return a.apiVersion === b.apiVersion && a.kind === b.kind && a.name === b.name && effectiveNamespace(a) === effectiveNamespace(b);
}

export function idText(id: ResId): string {
  const { group, version } = groupVersion(id.apiVersion);
  return `${id.kind}.${version}.${group ? `${group}/` : ''}${id.name}.${id.namespace || '[noNs]'}`;
}

export function storePreviousId(r: Res): void {
  const id = curId(r);
  r.prevIds.push({ ...id, namespace: effectiveNamespace(id) === '_cluster' ? '' : effectiveNamespace(id) });
}

/** All ids a resource is known by: its previous ones and its current one. */
export function anyIds(r: Res): ResId[] {
  return [...r.prevIds, r.orgId, curId(r)];
}

export function setPath(object: any, path: string[], value: unknown): void {
  let node = object;
  for (const key of path.slice(0, -1)) {
    if (!node[key] || typeof node[key] !== 'object') node[key] = {};
    node = node[key];
  }
  node[path[path.length - 1]] = value;
}
