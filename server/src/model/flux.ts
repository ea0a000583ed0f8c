// Flux objects: Kustomizations, HelmReleases and sources, and what folder of this repository
// a Kustomization's spec.path means given its source.
import { parsePlainDocuments } from './limits';
import { ancestors, basename, isWithin, joinRepoPath } from './paths';
import { identifierOf } from './values';
import { substituteKnown } from './build/envsubst';
import type { DependencyRef, FluxKustomization, HelmRelease, Resource, SourceRef } from './types';

export const FLUX_KUSTOMIZE_GROUP = 'kustomize.toolkit.fluxcd.io/';
export const FLUX_HELM_GROUP = 'helm.toolkit.fluxcd.io/';
export const FLUX_SOURCE_GROUP = 'source.toolkit.fluxcd.io/';
export const FLUX_SOURCE_EXTENSIONS_GROUP = 'source.extensions.fluxcd.io/';

export function isFluxKustomization(r: Resource): boolean {
  return r.kind === 'Kustomization' && r.apiVersion.startsWith(FLUX_KUSTOMIZE_GROUP);
}

export function isHelmRelease(r: Resource): boolean {
  return r.kind === 'HelmRelease' && r.apiVersion.startsWith(FLUX_HELM_GROUP);
}

export function isFluxSource(r: Resource): boolean {
  return r.apiVersion.startsWith(FLUX_SOURCE_GROUP) || (r.kind === 'ArtifactGenerator' && r.apiVersion.startsWith(FLUX_SOURCE_EXTENSIONS_GROUP));
}

/**
 * A dependsOn list as Flux reads it: after the applying Kustomization's post-build substitution
 * (`0-${CLUSTER_NAME}-config`), a missing namespace being the dependent's own. An entry whose
 * name still holds a variable no one provides here is kept with `unresolved` set.
 */
export function readDependsOn(object: any, ownNamespace: string, variables: Record<string, string> = {}): DependencyRef[] {
  const list = object?.spec?.dependsOn;
  if (!Array.isArray(list)) return [];
  const refs: DependencyRef[] = [];
  list.forEach((entry, i) => {
    const written = identifierOf(entry?.name);
    if (written === undefined || typeof entry.name !== 'string') return;
    const writtenNamespace = identifierOf(entry.namespace);
    const name = substituteKnown(written, variables);
    const namespace = writtenNamespace === undefined ? ownNamespace : substituteKnown(writtenNamespace, variables);
    const ref: DependencyRef = { name: name ?? written, namespace: namespace ?? writtenNamespace ?? ownNamespace, nodePath: ['spec', 'dependsOn', i, 'name'] };
    if (name === undefined || namespace === undefined) ref.unresolved = `it uses a variable that post-build substitution does not provide here (${written})`;
    refs.push(ref);
  });
  return refs;
}

export function readFluxKustomization(resource: Resource, namespace: string): FluxKustomization {
  const spec = resource.object.spec ?? {};
  const ref = spec.sourceRef;
  const sourceRef: SourceRef | undefined =
    ref && typeof ref === 'object' && typeof ref.name === 'string' && identifierOf(ref.name) !== undefined
      ? { kind: identifierOf(ref.kind) ?? 'GitRepository', name: ref.name, namespace: identifierOf(ref.namespace) ?? namespace }
      : undefined;
  return {
    resource,
    name: resource.name,
    namespace,
    path: typeof spec.path === 'string' ? identifierOf(spec.path) ?? '' : '',
    sourceRef,
    dependsOn: readDependsOn(resource.object, namespace),
    targetNamespace: typeof spec.targetNamespace === 'string' ? identifierOf(spec.targetNamespace) : undefined,
    appliedFiles: [],
  };
}

export function readHelmRelease(resource: Resource, namespace: string): HelmRelease {
  return { resource, name: resource.name, namespace, dependsOn: readDependsOn(resource.object, namespace) };
}

/** Sources defined in the repository, by `Kind/namespace/name`. */
export type SourceIndex = Map<string, Resource>;

export function sourceKey(kind: string, namespace: string, name: string): string {
  return `${kind}/${namespace}/${name}`;
}

export interface PathResolution {
  folder?: string;
  unresolvedReason?: string;
  leavesRepository?: boolean;
  /** The folder the path is read from when its source's root is not the repository root. */
  sourceRoot?: string;
}

export interface ResolveContext {
  sources: SourceIndex;
  /** Every ArtifactGenerator of the repository (names repeat across clusters). */
  generators: Resource[];
  /** Whether a repository path exists as a folder. */
  isFolder(repoPath: string): boolean;
  /** Normalised URLs (and branches) under which this repository is known to Flux. */
  ownRepositories: Set<string>;
  /** Post-build variables in force where the Kustomization is applied. */
  variables?: Record<string, string>;
  /** Folders that are the root of a Git source of their own, by source (gitSourceRoots). */
  sourceRoots?: Map<string, string[]>;
}

/** Resolves spec.path to a folder of this repository, or says why it cannot. */
export function resolveKustomizationPath(ks: FluxKustomization, ctx: ResolveContext): PathResolution {
  // Every field set, so that assigning a new resolution replaces all of an old one.
  return { sourceRoot: undefined, ...resolvePath(ks, ctx) };
}

function resolvePath(ks: FluxKustomization, ctx: ResolveContext): PathResolution {
  const substituted = substituteKnown(ks.path, ctx.variables ?? {});
  if (substituted === undefined) return { unresolvedReason: `spec.path "${ks.path}" uses a variable whose value is not known here` };
  const path = substituted;
  const ref = ks.sourceRef;
  if (!ref) return { unresolvedReason: 'spec.sourceRef is missing' };
  const source = ctx.sources.get(sourceKey(ref.kind, ref.namespace, ref.name)) ?? sourceInAnyNamespace(ks, ref, ctx.sources);
  switch (ref.kind) {
    case 'GitRepository': {
      if (source && !isOwnGitRepository(source, ctx.ownRepositories)) {
        return { unresolvedReason: `its source GitRepository ${ref.name} is another repository or branch (${describeGitSource(source)})` };
      }
      // Without spec.path the whole source is applied: this repository only if the source is known to be it.
      if (path.trim() === '' && !source && ref.name !== 'flux-system') {
        return { unresolvedReason: `spec.path is not set, so it applies the whole of GitRepository ${ref.name}, which is not defined in this repository` };
      }
      const folder = joinRepoPath('', path);
      if (folder === undefined) return { unresolvedReason: `spec.path "${path}" leaves the repository`, leavesRepository: true };
      // A source kept in a sub-folder (gitSourceRoots): its paths are read from there.
      if (!ctx.isFolder(folder)) {
        const root = (ctx.sourceRoots?.get(gitSourceKey(ref, source)) ?? []).filter((b) => isWithin(ks.resource.file, b)).sort((a, b) => b.length - a.length)[0];
        const within = root === undefined ? undefined : joinRepoPath(root, path);
        if (root !== undefined && within !== undefined && isWithin(within, root)) return { folder: within, sourceRoot: root };
      }
      return { folder };
    }
    case 'OCIRepository':
    case 'Bucket': {
      if (source) return { unresolvedReason: `its source ${ref.kind} ${ref.name} is an artifact built outside this repository (${String(source.object.spec?.url ?? source.object.spec?.bucketName ?? 'unknown')})` };
      if (path.trim() === '') return { unresolvedReason: `spec.path is not set, so it applies the whole ${ref.kind} artifact ${ref.name}, whose root is not known in this repository` };
      // An artifact of this repository pushed from a sub-folder: the nearest ancestor of the
      // Kustomization's own file under which the path exists is the artifact's root.
      for (const base of ancestors(ks.resource.file)) {
        const folder = joinRepoPath(base, path);
        if (folder !== undefined && ctx.isFolder(folder)) return { folder };
      }
      return { unresolvedReason: `the root of the ${ref.kind} artifact ${ref.name} could not be located in this repository` };
    }
    case 'ExternalArtifact':
      return resolveGeneratedArtifact(ks, ref, path, ctx);
    default:
      return { unresolvedReason: `its source kind ${ref.kind} is not known` };
  }
}

/**
 * The one source of that kind and name, when neither the Kustomization nor its sourceRef names a
 * namespace (a kustomization's `namespace:` sets it later, so it is not known yet).
 */
function sourceInAnyNamespace(ks: FluxKustomization, ref: SourceRef, sources: SourceIndex): Resource | undefined {
  if (ks.resource.namespace || typeof ks.resource.object.spec?.sourceRef?.namespace === 'string') return undefined;
  const found = [...sources.values()].filter((s) => s.kind === ref.kind && s.name === ref.name);
  return found.length === 1 ? found[0] : undefined;
}

/** ArtifactGenerator copy rules (`@alias/dir/**` → `@artifact/dest/`) mapped back to folders. */
function resolveGeneratedArtifact(ks: FluxKustomization, ref: SourceRef, path: string, ctx: ResolveContext): PathResolution {
  const wanted = joinRepoPath('', path);
  // Clusters often define generators of the same name; the one nearest the Kustomization wins.
  const generators = ctx.generators
    .map((g) => ({ g, shared: sharedPrefixLength(g.file, ks.resource.file) }))
    .sort((a, b) => b.shared - a.shared)
    .map((x) => x.g);
  let reason = `ExternalArtifact ${ref.name} is generated outside this repository`;
  for (const source of generators) {
    const spec = source.object.spec ?? {};
    const artifact = Array.isArray(spec.artifacts) ? spec.artifacts.find((a: any) => a?.name === ref.name) : undefined;
    if (!artifact || !Array.isArray(artifact.copy)) continue;
    for (const copy of artifact.copy) {
      const from = /^@([^/]+)\/(.*?)\/?(\*\*)?$/.exec(String(copy?.from ?? ''));
      const to = /^@artifact\/?(.*?)\/?$/.exec(String(copy?.to ?? ''));
      if (!from || !to || wanted === undefined) continue;
      const dest = to[1];
      if (!(dest === '' || wanted === dest || wanted.startsWith(dest + '/'))) continue;
      const rest = dest === '' ? wanted : wanted.slice(dest.length).replace(/^\//, '');
      const base = artifactSourceRoot(source, from[1], from[2], ctx);
      const folder = base === undefined ? undefined : joinRepoPath(base, `${from[2]}/${rest || '.'}`);
      if (folder !== undefined && ctx.isFolder(folder)) return { folder };
    }
    reason = `no copy rule of ArtifactGenerator ${source.name} maps "${path}" to a folder of this repository`;
  }
  return { unresolvedReason: reason };
}

/** Where the generator's source alias is rooted in this repository, if it is this repository. */
function artifactSourceRoot(generator: Resource, alias: string, copied: string, ctx: ResolveContext): string | undefined {
  const spec = generator.object.spec ?? {};
  const entry = Array.isArray(spec.sources) ? spec.sources.find((s: any) => s?.alias === alias) : undefined;
  if (!entry) return undefined;
  const namespace = typeof entry.namespace === 'string' ? entry.namespace : generator.namespace || 'flux-system';
  const source = ctx.sources.get(sourceKey(String(entry.kind ?? 'GitRepository'), namespace, String(entry.name)));
  if (entry.kind === 'GitRepository' || entry.kind === undefined) {
    return source && !isOwnGitRepository(source, ctx.ownRepositories) ? undefined : '';
  }
  if (source) return undefined;
  // An OCI artifact of this repository: its root is the ancestor under which the copied folder exists.
  return ancestors(generator.file).find((base) => {
    const folder = joinRepoPath(base, copied);
    return folder !== undefined && ctx.isFolder(folder);
  });
}

function sharedPrefixLength(a: string, b: string): number {
  const as = a.split('/');
  const bs = b.split('/');
  let i = 0;
  while (i < as.length && i < bs.length && as[i] === bs[i]) i++;
  return i;
}

export function normaliseGitUrl(url: string): string {
  return url
    .trim()
    .replace(/^[a-z+]+:\/\//i, '')
    .replace(/^[^@/]+@/, '')
    .replace(/:(?!\d)/, '/')
    .replace(/\.git$/, '')
    .replace(/\/+$/, '')
    .toLowerCase();
}

function gitIdentity(source: Resource): string {
  const spec = source.object.spec ?? {};
  const ref = spec.ref ?? {};
  return `${normaliseGitUrl(String(spec.url ?? ''))}#${String(ref.branch ?? ref.tag ?? ref.semver ?? ref.name ?? ref.commit ?? '')}`;
}

function describeGitSource(source: Resource): string {
  const spec = source.object.spec ?? {};
  const ref = spec.ref ?? {};
  const at = ref.branch ?? ref.tag ?? ref.semver ?? ref.commit;
  return `${String(spec.url ?? 'no url')}${at ? ` at ${String(at)}` : ''}`;
}

/**
 * The URLs (and branches) under which this repository is known to Flux: the flux-system
 * GitRepository's, and that of any GitRepository through which a Kustomization applies a folder of
 * this repository holding the Kustomization itself (a self-managed sync named otherwise, e.g.
 * `flux-cluster`): another repository cannot hold this file at that path.
 */
export function ownRepositoryIdentities(sources: SourceIndex, kustomizations: Iterable<FluxKustomization> = [], isFolder?: (repoPath: string) => boolean): Set<string> {
  const own = new Set<string>();
  for (const source of sources.values()) {
    if (source.kind === 'GitRepository' && source.name === 'flux-system') own.add(gitIdentity(source));
  }
  if (!isFolder) return own;
  for (const ks of kustomizations) {
    const ref = ks.sourceRef;
    if (ref?.kind !== 'GitRepository' || ks.path.includes('${')) continue;
    const folder = joinRepoPath('', ks.path);
    if (folder === undefined || folder === '' || !isFolder(folder) || !isWithin(ks.resource.file, folder)) continue;
    const source = sources.get(sourceKey(ref.kind, ref.namespace, ref.name)) ?? sourceInAnyNamespace(ks, ref, sources);
    if (source) own.add(gitIdentity(source));
  }
  return own;
}

/** What identifies a Git source for gitSourceRoots: its URL and branch, or its reference when not defined here. */
function gitSourceKey(ref: SourceRef, source: Resource | undefined): string {
  return source ? gitIdentity(source) : `${ref.namespace}/${ref.name}`;
}

/** The repository name at the end of a Git URL (`github.com/org/gitops-system.git` → `gitops-system`). */
function repositoryName(source: Resource): string {
  const url = normaliseGitUrl(String(source.object.spec?.url ?? ''));
  return url.slice(url.lastIndexOf('/') + 1);
}

/**
 * Folders of this repository that are the root of a Git repository of their own (a repository
 * that keeps several Flux repositories side by side, each pushed to its own URL), by source: a
 * Kustomization through a GitRepository whose spec.path is no folder at the repository root, but
 * read from an ancestor folder of its own file named as the GitRepository's URL names the
 * repository, is a folder holding that file (the sync applies itself). Kustomizations through a
 * GitRepository of the same URL and branch whose files lie below that folder read their paths
 * from it. A path written relative to the wrong folder of one repository stays missing: the
 * folder must be named as the repository is.
 */
export function gitSourceRoots(sources: SourceIndex, kustomizations: Iterable<FluxKustomization>, isFolder: (repoPath: string) => boolean): Map<string, string[]> {
  const roots = new Map<string, string[]>();
  for (const ks of kustomizations) {
    const ref = ks.sourceRef;
    if (ref?.kind !== 'GitRepository' || ks.path.includes('${') || ks.path.trim() === '') continue;
    const atRoot = joinRepoPath('', ks.path);
    if (atRoot === undefined || isFolder(atRoot)) continue;
    const source = sources.get(sourceKey(ref.kind, ref.namespace, ref.name)) ?? sourceInAnyNamespace(ks, ref, sources);
    if (!source) continue;
    const name = repositoryName(source);
    const base = ancestors(ks.resource.file).find((b) => b !== '' && basename(b).toLowerCase() === name);
    const folder = base === undefined ? undefined : joinRepoPath(base, ks.path);
    if (base === undefined || folder === undefined || !isWithin(folder, base) || !isFolder(folder) || !isWithin(ks.resource.file, folder)) continue;
    const key = gitSourceKey(ref, source);
    const list = roots.get(key) ?? [];
    if (!list.includes(base)) roots.set(key, [...list, base]);
  }
  return roots;
}

export function isOwnGitRepository(source: Resource, own: Set<string>): boolean {
  if (source.name === 'flux-system') return true;
  // Without the flux-system GitRepository to compare with, another GitRepository defined in the
  // repository is taken to be another repository or branch.
  return own.has(gitIdentity(source));
}

/**
 * A Kustomization's postBuild.substitute (with what its parent's patches set), each value after
 * the substitution the parent applied to it (`CLUSTER: ${CLUSTER}`) when `inherited` is given.
 */
export function postBuildVariables(ks: FluxKustomization, inherited?: Record<string, string>): Record<string, string> {
  const substituteMap = effectiveSpec(ks).postBuild?.substitute;
  const variables: Record<string, string> = {};
  if (substituteMap && typeof substituteMap === 'object') {
    for (const [k, v] of Object.entries(substituteMap)) {
      const value = String(v);
      variables[k] = (inherited && value.includes('${') ? substituteKnown(value, inherited) : undefined) ?? value;
    }
  }
  return variables;
}


/** A Kustomization's spec as the controller sees it: its own, with the parent's patches applied. */
export function effectiveSpec(ks: FluxKustomization): any {
  if (ks.builtSpec) return ks.builtSpec;
  const own = ks.resource.object.spec ?? {};
  return ks.inheritedSpec ? mergeObjects(own, ks.inheritedSpec) : own;
}

/**
 * The spec fields that a parent's strategic-merge patches for Kustomizations set on `child`
 * (patches whose target names another Kustomization are skipped).
 */
export function inheritedSpecFrom(parent: FluxKustomization, child: FluxKustomization): Record<string, unknown> | undefined {
  let inherited: Record<string, unknown> | undefined;
  for (const patch of parent.resource.object.spec?.patches ?? []) {
    const target = patch?.target ?? {};
    if (target.kind && target.kind !== 'Kustomization') continue;
    if (target.group && target.group !== 'kustomize.toolkit.fluxcd.io') continue;
    if (typeof target.name === 'string' && !new RegExp(`^(?:${target.name})$`).test(child.name)) continue;
    if (typeof patch?.patch !== 'string') continue;
    const documents = parsePlainDocuments(patch.patch);
    if (!documents || documents.length !== 1) continue;
    const parsed: any = documents[0];
    if (parsed?.kind !== 'Kustomization' || !parsed.spec || typeof parsed.spec !== 'object') continue;
    inherited = mergeObjects(inherited ?? {}, parsed.spec);
  }
  return inherited;
}

function mergeObjects(base: any, patch: any): any {
  if (!base || typeof base !== 'object' || Array.isArray(base) || !patch || typeof patch !== 'object' || Array.isArray(patch)) return patch;
  const result: any = { ...base };
  for (const [key, value] of Object.entries(patch)) result[key] = key in base ? mergeObjects(base[key], value) : value;
  return result;
}
