// Which names refer to which objects: dependsOn, sourceRef/chartRef, secretRef/configMapRef/
// valuesFrom and namespaces, and the metadata.name that declares each object. Definition,
// references, rename, hover and completion all read this one index.
import { clusterObjects } from '../model/applied';
import { isFluxKustomization, isHelmRelease, readDependsOn } from '../model/flux';
import type { RepoModel } from '../model/model';
import type { FluxKustomization, HelmRelease, NodePath, Position, Range, Resource, YamlFile } from '../model/types';
import { cursorAt, rangeContains, scalarAt, scalarRange } from './cursor';

/** An object's identity; an undefined namespace is unknown and matches any. */
export interface ObjectKey {
  kind: string;
  name: string;
  namespace?: string;
}

export type ReferenceVia = 'dependsOn' | 'source' | 'config' | 'namespace';

/** A name in a document that refers to another object. */
export interface ReferenceSite {
  key: ObjectKey;
  via: ReferenceVia;
  file: string;
  resource: Resource;
  nodePath: NodePath;
  /** The name's text (inside quotes). */
  range: Range;
}

/** The metadata.name of an object that can be referred to. */
export interface Declaration {
  key: ObjectKey;
  resource: Resource;
  range: Range;
}

/** What the cursor is on: a reference, or the name of an object itself. */
export interface SymbolAt {
  key: ObjectKey;
  range: Range;
  file: string;
  site?: ReferenceSite;
  declaration?: Declaration;
}

const CONFIG_REFS: Record<string, string> = { secretRef: 'Secret', configMapRef: 'ConfigMap', secretKeyRef: 'Secret', configMapKeyRef: 'ConfigMap' };

/** The Flux Kustomization or HelmRelease a resource is, as the graph knows it. */
export function fluxObjectOf(model: RepoModel, resource: Resource): FluxKustomization | HelmRelease | undefined {
  const graph = model.graph;
  const byResource = model.queries.get('flux objects', 'all', [graph], () => {
    const map = new Map<Resource, FluxKustomization | HelmRelease>();
    for (const ks of graph.fluxKustomizations) map.set(ks.resource, ks);
    for (const hr of graph.helmReleases) map.set(hr.resource, hr);
    return map;
  });
  return byResource.get(resource);
}

/**
 * The namespace an object lives in, as far as the model knows it: undefined (any namespace) when
 * the build cannot say or its clusters put it in different ones. A Flux object without one is in
 * the namespace Flux gives it (flux-system for a Kustomization).
 */
export function ownerNamespace(model: RepoModel, resource: Resource): string | undefined {
  if (resource.kind === 'Namespace') return undefined;
  const built = model.namespaceOf(resource);
  const namespace = built === '' ? fluxObjectOf(model, resource)?.namespace : built;
  return namespace && !namespace.includes('${') ? namespace : undefined;
}

export function sameObject(a: ObjectKey, b: ObjectKey): boolean {
  return a.kind === b.kind && a.name === b.name && (!a.namespace || !b.namespace || a.namespace === b.namespace);
}

function isReferable(resource: Resource): boolean {
  if (resource.kind === 'Kustomization') return isFluxKustomization(resource);
  if (resource.kind === 'HelmRelease') return isHelmRelease(resource);
  return resource.name !== '';
}

/** An object's name as the model resolves it (a Flux object's after post-build substitution). */
function declaredName(model: RepoModel, resource: Resource): string {
  return fluxObjectOf(model, resource)?.name ?? resource.name;
}

export function declarationOf(model: RepoModel, resource: Resource): Declaration | undefined {
  if (!resource.name || !isReferable(resource)) return undefined;
  const file = model.file(resource.file);
  const node = file && scalarAt(file.documents[resource.index], ['metadata', 'name']);
  if (!file || !node) return undefined;
  return { key: { kind: resource.kind, name: declaredName(model, resource), namespace: ownerNamespace(model, resource) }, resource, range: scalarRange(file, node) };
}

export function declarationsOf(model: RepoModel, key: ObjectKey): Declaration[] {
  const result: Declaration[] = [];
  for (const resource of model.resources()) {
    if (resource.kind !== key.kind || declaredName(model, resource) !== key.name) continue;
    const declaration = declarationOf(model, resource);
    if (declaration && sameObject(declaration.key, key)) result.push(declaration);
  }
  if (key.kind === 'ConfigMap' || key.kind === 'Secret') for (const declaration of generatedDeclarations(model).get(`${key.kind}/${key.name}`) ?? []) if (sameObject(declaration.key, key)) result.push(declaration);
  return result;
}

/**
 * The ConfigMaps and Secrets kustomize generates, declared at their generator entry under the
 * entry's name (the one manifests refer to; the build renames those references to the hashed
 * name), by `Kind/name`; in the namespace the build gives them, unknown where clusters differ.
 */
function generatedDeclarations(model: RepoModel): Map<string, Declaration[]> {
  const objects = clusterObjects(model);
  return model.queries.get('generated declarations', objects, [], () => {
    const namespaces = new Map<Resource, { name: string; namespaces: Set<string> }>();
    for (const c of objects) {
      for (const o of c.objects) {
        if (!o.generated) continue;
        let entry = namespaces.get(o.resource);
        if (!entry) namespaces.set(o.resource, (entry = { name: o.generated.name, namespaces: new Set() }));
        entry.namespaces.add(o.namespace);
      }
    }
    const declared = new Map<string, Declaration[]>();
    for (const [resource, { name, namespaces: set }] of namespaces) {
      const namespace = set.size === 1 ? [...set][0] || undefined : undefined;
      const id = `${resource.kind}/${name}`;
      declared.set(id, [...(declared.get(id) ?? []), { key: { kind: resource.kind, name, namespace }, resource, range: resource.range }]);
    }
    return declared;
  });
}

/** The references written in a file, kept while the file and the derived graph are the same. */
export function sitesOf(model: RepoModel, file: YamlFile): ReferenceSite[] {
  return model.queries.get('reference sites', file, [model.graph], () => extractSites(model, file));
}

export function allSites(model: RepoModel): ReferenceSite[] {
  return [...model.files.values()].flatMap((file) => sitesOf(model, file));
}

function extractSites(model: RepoModel, file: YamlFile): ReferenceSite[] {
  const sites: ReferenceSite[] = [];
  for (const resource of file.resources) {
    const document = file.documents[resource.index];
    const add = (key: ObjectKey, via: ReferenceVia, nodePath: NodePath) => {
      const node = scalarAt(document, nodePath);
      if (!node || typeof node.value !== 'string' || node.value === '' || node.value.includes('${')) return;
      sites.push({ key, via, file: file.path, resource, nodePath, range: scalarRange(file, node) });
    };
    const namespaceKey = (name: string): ObjectKey => ({ kind: 'Namespace', name });
    const object = resource.object;
    if (resource.kind === 'Kustomization' && !isFluxKustomization(resource)) {
      if (typeof object.namespace === 'string') add(namespaceKey(object.namespace), 'namespace', ['namespace']);
      continue;
    }
    if (typeof object.metadata?.namespace === 'string') add(namespaceKey(object.metadata.namespace), 'namespace', ['metadata', 'namespace']);
    const own = ownerNamespace(model, resource);
    const isFlux = isFluxKustomization(resource) || isHelmRelease(resource);
    if (isFlux) {
      if (typeof object.spec?.targetNamespace === 'string') add(namespaceKey(object.spec.targetNamespace), 'namespace', ['spec', 'targetNamespace']);
      const dependsOn = fluxObjectOf(model, resource)?.dependsOn ?? readDependsOn(object, own ?? '');
      for (const ref of dependsOn) {
        if (ref.unresolved) continue;
        add({ kind: resource.kind, name: ref.name, namespace: ref.namespace || undefined }, 'dependsOn', ref.nodePath);
        const entry = object.spec.dependsOn[ref.nodePath[2] as number];
        if (typeof entry?.namespace === 'string') add(namespaceKey(entry.namespace), 'namespace', [...ref.nodePath.slice(0, -1), 'namespace']);
      }
    }
    const visit = (value: unknown, path: Array<string | number>) => {
      if (Array.isArray(value)) {
        value.forEach((item, i) => visit(item, [...path, i]));
        return;
      }
      if (!value || typeof value !== 'object') return;
      for (const [key, child] of Object.entries(value as Record<string, any>)) {
        const childPath = [...path, key];
        if (path.length === 0 && key === 'metadata') continue;
        // Chart values are the chart's business, not references Flux resolves.
        if (isHelmRelease(resource) && path.length === 1 && path[0] === 'spec' && key === 'values') continue;
        if (isFlux && path.length === 1 && path[0] === 'spec' && key === 'dependsOn') continue;
        if ((key === 'sourceRef' || key === 'chartRef') && child && typeof child === 'object' && typeof child.name === 'string') {
          const defaultKind = isFluxKustomization(resource) && key === 'sourceRef' ? 'GitRepository' : undefined;
          const kind = typeof child.kind === 'string' ? child.kind : defaultKind;
          if (kind) add({ kind, name: child.name, namespace: typeof child.namespace === 'string' ? child.namespace : own }, 'source', [...childPath, 'name']);
          if (typeof child.namespace === 'string') add(namespaceKey(child.namespace), 'namespace', [...childPath, 'namespace']);
          continue;
        }
        if (Object.hasOwn(CONFIG_REFS, key) && child && typeof child === 'object' && typeof child.name === 'string') {
          add({ kind: CONFIG_REFS[key], name: child.name, namespace: own }, 'config', [...childPath, 'name']);
          continue;
        }
        if ((key === 'valuesFrom' || key === 'substituteFrom') && Array.isArray(child)) {
          child.forEach((item, i) => {
            if ((item?.kind === 'Secret' || item?.kind === 'ConfigMap') && typeof item.name === 'string') {
              add({ kind: item.kind, name: item.name, namespace: own }, 'config', [...childPath, i, 'name']);
            }
          });
          continue;
        }
        visit(child, childPath);
      }
    };
    visit(object, []);
  }
  return sites;
}

/** The reference or declared name under the cursor. */
export function symbolAt(model: RepoModel, path: string, position: Position): SymbolAt | undefined {
  const file = model.file(path);
  if (!file) return undefined;
  const site = sitesOf(model, file).find((s) => rangeContains(s.range, position));
  if (site) return { key: site.key, range: site.range, file: path, site };
  const cursor = cursorAt(file, position);
  if (!cursor?.resource || cursor.onKey || cursor.path.join('/') !== 'metadata/name') return undefined;
  const declaration = declarationOf(model, cursor.resource);
  return declaration && { key: declaration.key, range: declaration.range, file: path, declaration };
}

/** Cluster names that apply a file; undefined when none does (it may belong anywhere). */
function clustersOf(model: RepoModel, file: string): ReadonlySet<string> | undefined {
  const set = model.graph.clustersOf.get(file);
  return set && set.size > 0 ? set : undefined;
}

function overlap(a: ReadonlySet<string> | undefined, b: ReadonlySet<string> | undefined): boolean {
  return !a || !b || [...a].some((x) => b.has(x));
}

/**
 * The objects a symbol means. Two clusters often hold objects of the same name; a reference
 * means the one its own cluster applies, so declarations of other clusters are left out.
 */
export function resolve(model: RepoModel, symbol: SymbolAt, all: Declaration[] = declarationsOf(model, symbol.key)): Declaration[] {
  if (symbol.declaration) return [symbol.declaration];
  const scope = clustersOf(model, symbol.file);
  const near = all.filter((d) => overlap(scope, clustersOf(model, d.resource.file)));
  return near.length > 0 ? near : all;
}

/**
 * Every reference to the objects a symbol means: the sites that resolve to one of them. A name
 * that resolves to nothing is referred to by the same name in the clusters of the symbol.
 */
export function referencesTo(model: RepoModel, symbol: SymbolAt, declarations: Declaration[]): ReferenceSite[] {
  const candidates = allSites(model).filter((s) => sameObject(s.key, symbol.key));
  if (declarations.length === 0) {
    const scope = clustersOf(model, symbol.file);
    return candidates.filter((s) => overlap(scope, clustersOf(model, s.file)));
  }
  const wanted = new Set(declarations.map((d) => d.resource));
  const byKey = new Map<string, Declaration[]>();
  return candidates.filter((s) => {
    const id = `${s.key.kind}/${s.key.namespace ?? ''}/${s.key.name}`;
    let all = byKey.get(id);
    if (!all) byKey.set(id, (all = declarationsOf(model, s.key)));
    return resolve(model, { key: s.key, range: s.range, file: s.file, site: s }, all).some((d) => wanted.has(d.resource));
  });
}

export function compareLocations(a: { file: string; range: Range }, b: { file: string; range: Range }): number {
  return a.file.localeCompare(b.file) || a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character;
}
