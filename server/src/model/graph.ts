// Everything derived from the parsed files as a whole: kustomize folders, Flux objects, the
// clusters with what each applies, reachability and effective namespaces.
import { buildFolder, emptyBuild, findKustomizationFile, readKustomizeDir, type FileTree } from './kustomize';
import {
  isFluxKustomization,
  isFluxSource,
  isHelmRelease,
  ownRepositoryIdentities,
  inheritedSpecFrom,
  postBuildVariables,
  readDependsOn,
  readFluxKustomization,
  readHelmRelease,
  resolveKustomizationPath,
  sourceKey,
  substitute,
  type ResolveContext,
  type SourceIndex,
} from './flux';
import { basename, dirname, isWithin } from './paths';
import type { GuardrailsConfig } from './config';
import type { Cluster, FluxKustomization, HelmRelease, KustomizeDir, Resource, YamlFile } from './types';

export interface RepoGraph {
  kustomizeDirs: Map<string, KustomizeDir>;
  sources: SourceIndex;
  fluxKustomizations: FluxKustomization[];
  helmReleases: HelmRelease[];
  clusters: Cluster[];
  /** Cluster names that apply each file. */
  clustersOf: Map<string, Set<string>>;
  /** The Flux Kustomizations that apply each file (none for files applied by a bare root). */
  appliedBy: Map<string, FluxKustomization[]>;
  /** Files used as kustomize patches: their documents are not resources of their own. */
  patchFiles: Set<string>;
  /** Namespace injected into each file's resources (Flux targetNamespace or kustomize namespace). */
  injectedNamespace: Map<string, string>;
  /** YAML files no cluster applies. */
  unreachable: string[];
}

export interface GraphInput {
  files: ReadonlyMap<string, YamlFile>;
  tree: FileTree;
  config: GuardrailsConfig;
}

const DEAD_PATH = /(^|\/)(\.[^/]+|archive|archived|deprecated|old|backup)(\/|$)|-old\.ya?ml$/i;

export function deriveGraph(input: GraphInput): RepoGraph {
  const { files, tree, config } = input;
  const kustomizeDirs = new Map<string, KustomizeDir>();
  const dirOf = (folder: string): KustomizeDir => {
    let dir = kustomizeDirs.get(folder);
    if (!dir) {
      const file = findKustomizationFile(tree, folder);
      dir = readKustomizeDir(folder, file ? files.get(file) : undefined, tree);
      kustomizeDirs.set(folder, dir);
    }
    return dir;
  };
  // Every kustomization.yaml is read, reachable or not, so its entries can be checked.
  for (const path of files.keys()) {
    const folder = dirname(path);
    if (findKustomizationFile(tree, folder) === path) dirOf(folder);
  }

  const sources: SourceIndex = new Map();
  const generators: Resource[] = [];
  const fluxByResource = new Map<Resource, FluxKustomization>();
  const helmByResource = new Map<Resource, HelmRelease>();
  for (const file of files.values()) {
    for (const r of file.resources) {
      const namespace = r.namespace || 'flux-system';
      if (isFluxKustomization(r)) fluxByResource.set(r, readFluxKustomization(r, namespace));
      else if (isHelmRelease(r)) helmByResource.set(r, readHelmRelease(r, r.namespace || ''));
      else if (isFluxSource(r)) {
        sources.set(sourceKey(r.kind, namespace, r.name), r);
        if (r.kind === 'ArtifactGenerator') generators.push(r);
      }
    }
  }
  const resolveContext: ResolveContext = {
    sources,
    generators,
    isFolder: (p) => tree.kindOf(p) === 'folder',
    ownRepositories: ownRepositoryIdentities(sources),
  };
  for (const ks of fluxByResource.values()) Object.assign(ks, resolveKustomizationPath(ks, resolveContext));

  const namespaceToTarget = foldersReplacingTargetNamespace(kustomizeDirs, files);
  const clustersOf = new Map<string, Set<string>>();
  const appliedBy = new Map<string, FluxKustomization[]>();
  const patchFiles = new Set<string>();
  const injectedNamespace = new Map<string, string>();
  const reached = new Set<string>();
  const markReached = (file: string, cluster: Cluster) => {
    reached.add(file);
    let set = clustersOf.get(file);
    if (!set) clustersOf.set(file, (set = new Set()));
    set.add(cluster.name);
  };

  const apply = (cluster: Cluster, target: string, ks: FluxKustomization | undefined, visited: Set<FluxKustomization>) => {
    const build = emptyBuild();
    buildFolder(target, tree, dirOf, build, new Set(), undefined);
    for (const file of [...build.kustomizationFiles, ...build.inputs]) {
      markReached(file, cluster);
      // A kustomization.yaml can install things too (remote CRD bundles): remember who applies it.
      if (ks && build.kustomizationFiles.has(file)) {
        let list = appliedBy.get(file);
        if (!list) appliedBy.set(file, (list = []));
        if (!list.includes(ks)) list.push(ks);
      }
    }
    for (const file of build.patches) {
      patchFiles.add(file);
      markReached(file, cluster);
    }
    const children: FluxKustomization[] = [];
    for (const file of build.manifests) {
      markReached(file, cluster);
      const namespace = ks?.targetNamespace ?? build.namespaces.get(file);
      if (namespace !== undefined && !injectedNamespace.has(file)) injectedNamespace.set(file, namespace);
      if (ks) {
        let list = appliedBy.get(file);
        if (!list) appliedBy.set(file, (list = []));
        if (!list.includes(ks)) list.push(ks);
        if (!ks.appliedFiles.includes(file)) ks.appliedFiles.push(file);
      }
      for (const r of files.get(file)?.resources ?? []) {
        const child = fluxByResource.get(r);
        if (!child || child === ks) continue;
        children.push(child);
        if (ks && !child.inheritedSpec) {
          child.inheritedSpec = inheritedSpecFrom(ks, child);
          const patched = child.inheritedSpec?.targetNamespace;
          if (typeof patched === 'string') child.targetNamespace = patched;
        }
        // A common kustomize replacement copies the build's Namespace into every child's targetNamespace.
        const injected = build.namespaces.get(file);
        if (child.targetNamespace === undefined && injected && namespaceToTarget.has(dirname(file))) child.targetNamespace = injected;
      }
    }
    const variables = ks ? postBuildVariables(ks) : {};
    for (const child of children) {
      if (visited.has(child)) continue;
      visited.add(child);
      cluster.kustomizations.push(child);
      let folder = child.folder;
      if (folder === undefined && child.path.includes('${')) {
        const resolved = resolveKustomizationPath(child, { ...resolveContext, variables });
        if (resolved.folder !== undefined) {
          folder = resolved.folder;
          Object.assign(child, resolved, { unresolvedReason: undefined });
        }
      }
      if (folder !== undefined && tree.kindOf(folder) !== 'missing') apply(cluster, folder, child, visited);
    }
  };

  const clusters: Cluster[] = [];
  const usedNames = new Set<string>();
  const addCluster = (folder: string, rootKind: Cluster['rootKind'], rootKs?: FluxKustomization, name?: string) => {
    let clusterName = name ?? clusterNameFor(folder);
    if (usedNames.has(clusterName)) clusterName = folder || 'root';
    usedNames.add(clusterName);
    const cluster: Cluster = { name: clusterName, folder, rootFile: rootKs?.resource.file, rootKind, kustomizations: [] };
    clusters.push(cluster);
    const visited = new Set<FluxKustomization>();
    if (rootKs) {
      visited.add(rootKs);
      cluster.kustomizations.push(rootKs);
      markReached(rootKs.resource.file, cluster);
    }
    apply(cluster, folder, rootKs, visited);
  };

  if (config.clusters && config.clusters.length > 0) {
    for (const c of config.clusters) addCluster(c.path, 'config', undefined, c.name);
  } else {
    // Strong roots: the flux-system sync Kustomization, a FluxInstance, or a Kustomization that
    // applies the folder holding itself.
    const strong: { folder: string; kind: Cluster['rootKind']; ks?: FluxKustomization }[] = [];
    for (const ks of fluxByResource.values()) {
      if (ks.folder === undefined || DEAD_PATH.test(ks.resource.file)) continue;
      if (ks.name === 'flux-system' && ks.namespace === 'flux-system') strong.push({ folder: ks.folder, kind: 'flux-system', ks });
      else if (isWithin(ks.resource.file, ks.folder) && ks.folder !== '') strong.push({ folder: ks.folder, kind: 'self-path', ks });
    }
    for (const file of files.values()) {
      for (const r of file.resources) {
        const path = r.kind === 'FluxInstance' ? r.object.spec?.sync?.path : undefined;
        if (typeof path === 'string' && !DEAD_PATH.test(r.file)) {
          const folder = path.replace(/^\.\/+/, '').replace(/\/+$/, '');
          if (tree.kindOf(folder) === 'folder') strong.push({ folder, kind: 'FluxInstance' });
        }
      }
    }
    // Self-applying Kustomizations count only where no flux-system root reaches them.
    const rank = (kind: Cluster['rootKind']) => (kind === 'self-path' ? 1 : 0);
    strong.sort((a, b) => rank(a.kind) - rank(b.kind) || a.folder.localeCompare(b.folder));
    for (const root of strong) {
      if (clusters.some((c) => c.folder === root.folder)) continue;
      if (root.kind === 'self-path' && root.ks && reached.has(root.ks.resource.file)) continue;
      addCluster(root.folder, root.kind, root.ks);
    }
    // Weak roots: folders of Flux Kustomizations that nothing applies, shallowest first.
    const tried = new Set<string>();
    for (;;) {
      const orphan = [...fluxByResource.values()]
        .filter((ks) => !reached.has(ks.resource.file) && !tried.has(ks.resource.file) && !DEAD_PATH.test(ks.resource.file) && !isPatchLike(ks))
        .sort((a, b) => depth(a.resource.file) - depth(b.resource.file) || a.resource.file.localeCompare(b.resource.file))[0];
      if (!orphan) break;
      const folder = rootFolderOf(dirname(orphan.resource.file), tree, dirOf);
      // An orphan inside a folder some cluster already builds is an unlisted file, not a root.
      const kustomization = dirOf(folder).file;
      const alreadyBuilt = kustomization !== undefined && reached.has(kustomization);
      // Once a cluster is known, another root must look like one: beside it, or under clusters/.
      const looksLikeCluster =
        clusters.length === 0 || clusters.some((c) => dirname(c.folder) === dirname(folder)) || /(^|\/)clusters(\/|$)/.test(folder);
      if (!alreadyBuilt && looksLikeCluster && !clusters.some((c) => c.folder === folder)) addCluster(folder, 'unreferenced');
      // A root whose build does not include the orphan must not be tried again.
      tried.add(orphan.resource.file);
    }
  }

  // Names and namespaces are known only now, as kustomize and Flux leave them: the including
  // kustomization's `namespace:` (or the applier's targetNamespace) overrides metadata.namespace,
  // and the applier's post-build substitution fills in `${VAR}` in names and dependsOn.
  const finalIdentity = (object: { resource: Resource; name: string; namespace: string; dependsOn: unknown }, fallback: string) => {
    const applier = appliedBy.get(object.resource.file)?.[0];
    const variables = applier ? postBuildVariables(applier) : {};
    object.namespace = injectedNamespace.get(object.resource.file) || object.resource.namespace || fallback;
    if (object.resource.name.includes('${')) object.name = substitute(object.resource.name, variables) ?? object.resource.name;
    return variables;
  };
  for (const ks of fluxByResource.values()) {
    const before = ks.namespace;
    const variables = finalIdentity(ks, 'flux-system');
    ks.dependsOn = readDependsOn(ks.resource.object, ks.namespace, variables);
    if (ks.namespace !== before && ks.sourceRef && typeof ks.resource.object.spec?.sourceRef?.namespace !== 'string') ks.sourceRef.namespace = ks.namespace;
  }
  for (const hr of helmByResource.values()) {
    const variables = finalIdentity(hr, '');
    hr.dependsOn = readDependsOn(hr.resource.object, hr.namespace, variables);
  }

  const unreachable = [...files.keys()].filter((f) => !reached.has(f)).sort();
  return {
    kustomizeDirs,
    sources,
    fluxKustomizations: [...fluxByResource.values()].filter((ks) => !patchFiles.has(ks.resource.file)),
    helmReleases: [...helmByResource.values()].filter((hr) => !patchFiles.has(hr.resource.file)),
    clusters,
    clustersOf,
    appliedBy,
    patchFiles,
    injectedNamespace,
    unreachable,
  };
}

/**
 * Folders whose kustomization has a replacement from a Namespace's name into the
 * spec.targetNamespace of Flux Kustomizations (inline or in a replacements file).
 */
function foldersReplacingTargetNamespace(dirs: Map<string, KustomizeDir>, files: ReadonlyMap<string, YamlFile>): Set<string> {
  const result = new Set<string>();
  const targetsNamespace = (replacement: any) =>
    replacement?.source?.kind === 'Namespace' &&
    Array.isArray(replacement?.targets) &&
    replacement.targets.some((t: any) => Array.isArray(t?.fieldPaths) && t.fieldPaths.includes('spec.targetNamespace'));
  for (const dir of dirs.values()) {
    const list = dir.resource?.object.replacements;
    if (!Array.isArray(list)) continue;
    for (const entry of list) {
      if (targetsNamespace(entry)) result.add(dir.folder);
      const path = dir.entries.find((e) => e.field === 'replacements' && e.value === entry?.path)?.target;
      const replacementFile = path ? files.get(path) : undefined;
      const replacements = replacementFile?.documents.flatMap((d) => {
        const value = d.toJS();
        return Array.isArray(value) ? value : [value];
      });
      if (replacements?.some(targetsNamespace)) result.add(dir.folder);
    }
  }
  return result;
}

/** Climbs while the parent folder's kustomization includes the folder. */
function rootFolderOf(folder: string, tree: FileTree, dirOf: (f: string) => KustomizeDir): string {
  let current = folder;
  while (current !== '') {
    const parent = dirname(current);
    const dir = dirOf(parent);
    if (!dir.file || !dir.entries.some((e) => e.target === current)) break;
    current = parent;
  }
  return current;
}

function clusterNameFor(folder: string): string {
  return folder === '' ? 'root' : basename(folder);
}

function depth(path: string): number {
  return path.split('/').length;
}

/** A Kustomization document without a sourceRef is almost always a patch written as a file. */
function isPatchLike(ks: FluxKustomization): boolean {
  return !ks.resource.object.spec?.sourceRef;
}
