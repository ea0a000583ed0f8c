// Everything derived from the parsed files as a whole: kustomize folders, Flux objects, the
// clusters with what each applies, reachability and effective namespaces.
import { findKustomizationFile, PATCH_FIELDS, readKustomizeDir, type FileTree } from './kustomize';
import {
  isFluxKustomization,
  isFluxSource,
  isHelmRelease,
  gitSourceRoots,
  ownRepositoryIdentities,
  inheritedSpecFrom,
  postBuildVariables,
  readDependsOn,
  readFluxKustomization,
  readHelmRelease,
  resolveKustomizationPath,
  sourceKey,
  type ResolveContext,
  type SourceIndex,
} from './flux';
import { ancestors, basename, dirname, isWithin } from './paths';
import { appliesOtherTrees, bootstrapRoots, clusterName, commentedOutEntries, DEAD_PATH, type RootCandidate } from './roots';
import { CONFIG_FILE, type GuardrailsConfig } from './config';
import type { Cluster, FluxKustomization, HelmRelease, KustomizeDir, Resource, YamlFile } from './types';
import { emptyReach, type BuildReach, type BuildResult as RenderResult } from './build/types';
import { namespaceSetBy, renderedNamespace } from './build/namespaces';
import { identifierOf } from './values';
import { substituteKnown } from './build/envsubst';

export interface RepoGraph {
  kustomizeDirs: Map<string, KustomizeDir>;
  sources: SourceIndex;
  /** The URLs (and branches) under which this repository is known to Flux (flux.ts ownRepositoryIdentities). */
  ownRepositories: Set<string>;
  fluxKustomizations: FluxKustomization[];
  helmReleases: HelmRelease[];
  clusters: Cluster[];
  /** Cluster names that apply each file. */
  clustersOf: Map<string, Set<string>>;
  /** The Flux Kustomizations that apply each file (none for files applied by a bare root). */
  appliedBy: Map<string, FluxKustomization[]>;
  /** Files used as kustomize patches: their documents are not resources of their own. */
  patchFiles: Set<string>;
  /**
   * Where each applied document lands, per cluster: the namespace the render engine (model/build)
   * gives it — its file's, then each kustomization's `namespace:`, patches and replacements, then
   * the Flux Kustomization's targetNamespace and spec.patches — before post-build substitution.
   * Read through `RepoModel.namespaceOf`.
   */
  appliedNamespaces: Map<Resource, Map<string, AppliedNamespace>>;
  /** YAML files no cluster applies. */
  unreachable: string[];
}

/** Where an applied document lands in one cluster. */
export interface AppliedNamespace {
  /** '' for a cluster-scoped object or one nothing gives a namespace (and when `unknown` is set). */
  namespace: string;
  /** The kustomization.yaml or Flux Kustomization file whose setting put it there (absent: its own). */
  setBy?: string;
  /**
   * Set when the build that applies the document cannot say where it lands (kustomize refuses
   * the folder, or the build meets what it cannot see and gives no object for it): why. Readers
   * say nothing about its namespace then; the namespace written in the file is not the answer.
   */
  unknown?: string;
}

export interface GraphInput {
  files: ReadonlyMap<string, YamlFile>;
  tree: FileTree;
  config: GuardrailsConfig;
  /**
   * The render engine's build of a folder as a Flux Kustomization applies it (before post-build
   * substitution), or as a cluster's bare root applies it: which files it reaches and in which role
   * (also when kustomize refuses it), and where each document's namespace comes from.
   */
  render: (folder: string, ks: FluxKustomization | undefined) => RenderResult | undefined;
}

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
    ownRepositories: ownRepositoryIdentities(sources, fluxByResource.values(), (p) => tree.kindOf(p) === 'folder'),
    sourceRoots: gitSourceRoots(sources, fluxByResource.values(), (p) => tree.kindOf(p) === 'folder'),
  };
  for (const ks of fluxByResource.values()) Object.assign(ks, resolveKustomizationPath(ks, resolveContext));

  /**
   * What a build reaches: the engine's reach, and that of the builds of the folders nested too
   * deep for it (each one's own build, in turn; a queue, not recursion).
   */
  const reachOf = (rendered: RenderResult | undefined): BuildReach => {
    const first = rendered?.reach ?? NOTHING_REACHED;
    if (first.deferred.size === 0) return first;
    const merged: BuildReach = emptyReach();
    const queue = [first];
    const done = new Set<string>();
    for (let next = queue.shift(); next; next = queue.shift()) {
      for (const role of ['manifests', 'patches', 'kustomizationFiles', 'inputs'] as const) for (const file of next[role]) merged[role].add(file);
      for (const folder of next.deferred) {
        if (done.has(folder)) continue;
        done.add(folder);
        queue.push(input.render(folder, undefined)?.reach ?? NOTHING_REACHED);
      }
    }
    return merged;
  };

  const clustersOf = new Map<string, Set<string>>();
  const appliedBy = new Map<string, FluxKustomization[]>();
  const patchFiles = new Set<string>();
  const appliedNamespaces = new Map<Resource, Map<string, AppliedNamespace>>();
  const resourceAt = (file: string, index: number | undefined) => (index === undefined ? undefined : files.get(file)?.resources.find((r) => r.index === index));
  const reached = new Set<string>();
  /** Files some cluster applies as manifests of their own. */
  const appliedManifests = new Set<string>();
  const markReached = (file: string, cluster: Cluster) => {
    reached.add(file);
    let set = clustersOf.get(file);
    if (!set) clustersOf.set(file, (set = new Set()));
    set.add(cluster.name);
  };

  // What a cluster applies, depth first from its root through the Flux Kustomizations it reaches;
  // an explicit stack of steps, so a chain of thousands of Kustomizations cannot overflow the stack.
  // `inherited`: the post-build variables that substituted the text of `ks` itself; `own`: the
  // variables a root's per-cluster patch sets on it.
  const apply = (
    cluster: Cluster,
    target: string,
    ks: FluxKustomization | undefined,
    visited: Set<FluxKustomization>,
    inherited: Record<string, string>,
    own: Record<string, string> = {},
  ) => {
    const steps: (() => void)[] = [() => applyOne(cluster, target, ks, visited, steps, inherited, own)];
    while (steps.length > 0) steps.pop()!();
  };
  const applyOne = (
    cluster: Cluster,
    target: string,
    ks: FluxKustomization | undefined,
    visited: Set<FluxKustomization>,
    steps: (() => void)[],
    inherited: Record<string, string>,
    own: Record<string, string> = {},
  ) => {
    // What the build reaches, from the render engine (which also says where each document lands).
    const rendered = input.render(target, ks);
    const build = reachOf(rendered);
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
    // Where each document lands, and each child Kustomization's spec as this build leaves it
    // (a replacement or patch may set its targetNamespace).
    const renderedChildSpec = new Map<Resource, any>();
    const placed = new Set<Resource>();
    for (const o of rendered?.objects ?? []) {
      const r = resourceAt(o.source.file, o.source.index);
      if (!r) continue;
      placed.add(r);
      let perCluster = appliedNamespaces.get(r);
      if (!perCluster) appliedNamespaces.set(r, (perCluster = new Map()));
      // The first build of the cluster that places it wins; one that could not say gives way.
      if (!perCluster.get(cluster.name) || perCluster.get(cluster.name)!.unknown !== undefined) perCluster.set(cluster.name, { namespace: renderedNamespace(o), setBy: namespaceSetBy(o, ks) });
      if (fluxByResource.has(r)) renderedChildSpec.set(r, o.object?.spec);
    }
    // What this build applies but gave no object for: its namespace in this cluster is unknown (a
    // refused build applies nothing; one that meets what it cannot see, a remote base, may yet
    // move it), not the one written in the file.
    const unknown = whyUnplaced(rendered, target, ks);
    for (const file of build.manifests) {
      if (build.patches.has(file)) continue;
      for (const r of files.get(file)?.resources ?? []) {
        if (placed.has(r)) continue;
        let perCluster = appliedNamespaces.get(r);
        if (!perCluster) appliedNamespaces.set(r, (perCluster = new Map()));
        if (!perCluster.has(cluster.name)) perCluster.set(cluster.name, { namespace: '', unknown });
      }
    }
    const children: FluxKustomization[] = [];
    for (const file of build.manifests) {
      markReached(file, cluster);
      appliedManifests.add(file);
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
          // A sourceRef the parent patches into every child (the child has none of its own).
          const ref: any = child.inheritedSpec?.sourceRef;
          if (!child.sourceRef && ref && typeof ref.name === 'string') {
            child.sourceRef = { kind: typeof ref.kind === 'string' ? ref.kind : 'GitRepository', name: ref.name, namespace: typeof ref.namespace === 'string' ? ref.namespace : child.namespace };
            Object.assign(child, { folder: undefined, unresolvedReason: undefined }, resolveKustomizationPath(child, resolveContext));
          }
        }
        // Its spec as the parent's build leaves it, where the build gave it (kustomize patches and
        // components of the parent's folder may add postBuild, decryption, components...).
        const builtSpec = renderedChildSpec.get(r);
        if (!child.builtSpec && builtSpec && typeof builtSpec === 'object' && !Array.isArray(builtSpec)) child.builtSpec = builtSpec;
        // What the build left in its targetNamespace (a kustomize replacement or patch may set it).
        const built = renderedChildSpec.get(r)?.targetNamespace;
        if (child.targetNamespace === undefined && typeof built === 'string' && identifierOf(built) !== undefined && !built.includes('${')) child.targetNamespace = built;
      }
    }
    // What this Kustomization substitutes in its children: its own (and inherited) post-build
    // variables, whose values its parent substituted first; a root's per-cluster variables win.
    const variables = { ...(ks ? postBuildVariables(ks, inherited) : {}), ...own };
    // Each child (and then what it applies) before the next one, as a recursive walk would.
    for (let i = children.length - 1; i >= 0; i--) steps.push(() => applyChild(children[i]));
    const applyChild = (child: FluxKustomization) => {
      if (visited.has(child)) return;
      visited.add(child);
      cluster.kustomizations.push(child);
      let folder = child.folder;
      // A templated path is resolved per cluster: another cluster's variables may differ.
      if (child.path.includes('${')) {
        const resolved = resolveKustomizationPath(child, { ...resolveContext, variables });
        if (resolved.folder !== undefined) {
          folder = resolved.folder;
          if (child.folder === undefined) Object.assign(child, resolved, { unresolvedReason: undefined });
        }
      }
      if (folder !== undefined && tree.kindOf(folder) !== 'missing') {
        const target = folder;
        steps.push(() => applyOne(cluster, target, child, visited, steps, variables));
      }
    };
  };

  const clusters: Cluster[] = [];
  const usedNames = new Set<string>();
  const addCluster = (root: RootCandidate, name?: string) => {
    const chosen = name && !usedNames.has(name) ? name : clusterName(root.folder, usedNames);
    usedNames.add(chosen);
    const cluster: Cluster = {
      name: chosen,
      folder: root.folder,
      rootFile: root.file ?? root.ks?.resource.file,
      ...(root.nodePath && root.nodePath.length > 0 ? { rootNodePath: root.nodePath } : {}),
      rootKind: root.kind,
      reason: root.reason,
      ...(root.variables ? { variables: root.variables } : {}),
      kustomizations: [],
    };
    clusters.push(cluster);
    const visited = new Set<FluxKustomization>();
    if (root.ks) {
      visited.add(root.ks);
      cluster.kustomizations.push(root.ks);
      markReached(root.ks.resource.file, cluster);
    }
    apply(cluster, root.folder, root.ks, visited, {}, root.variables);
  };

  // A file is dead, not a root, when a kustomization lists it (or its folder) only in a comment,
  // or when it lies inside a tree some cluster builds (an unlisted file of that tree).
  const switchedOff = commentedOutEntries(kustomizeDirs, files);
  const isDeadFile = (file: string) =>
    DEAD_PATH.test(file) ||
    switchedOff.has(file) ||
    ancestors(file).some((folder) => {
      if (switchedOff.has(folder)) return true;
      const kustomization = findKustomizationFile(tree, folder);
      return kustomization !== undefined && reached.has(kustomization);
    });

  if (config.clusters && config.clusters.length > 0) {
    config.clusters.forEach((c, i) =>
      addCluster({ folder: c.path, kind: 'config', file: CONFIG_FILE, nodePath: ['clusters', i, 'path'], reason: `${CONFIG_FILE} names cluster ${c.name} at ${c.path || 'the repository root'}` }, c.name),
    );
  } else {
    // Strong roots: what a bootstrap points Flux at, then Kustomizations that apply the folder
    // holding themselves (only where no other root reaches them).
    const strong = bootstrapRoots(files, [...fluxByResource.values()], tree, kustomizeDirs, (folder) => reachOf(input.render(folder, undefined)));
    for (const ks of fluxByResource.values()) {
      if (ks.folder === undefined || ks.folder === '' || DEAD_PATH.test(ks.resource.file)) continue;
      if (ks.name === 'flux-system' && ks.namespace === 'flux-system') continue;
      if (isWithin(ks.resource.file, ks.folder)) {
        strong.push({ folder: ks.folder, kind: 'self-path', ks, file: ks.resource.file, nodePath: ['spec', 'path'], reason: `Kustomization ${ks.name} in ${ks.resource.file} applies the folder that holds it` });
      }
    }
    const rank = (kind: Cluster['rootKind']) => (kind === 'self-path' ? 1 : 0);
    strong.sort((a, b) => rank(a.kind) - rank(b.kind) || a.folder.localeCompare(b.folder));
    for (const root of strong) {
      if (clusters.some((c) => c.folder === root.folder)) continue;
      if (root.kind === 'self-path' && root.ks && (reached.has(root.ks.resource.file) || isDeadFile(root.ks.resource.file))) continue;
      addCluster(root);
    }
    // Weak roots: conventional cluster folders, i.e. Flux Kustomizations that nothing applies, in a
    // folder nothing builds, that apply other trees (a component's own Kustomizations deploy its
    // subfolders: left unapplied, they are dead files, not a cluster). Shallowest first.
    const tried = new Set<string>();
    for (;;) {
      const orphan = [...fluxByResource.values()]
        .filter((ks) => !reached.has(ks.resource.file) && !tried.has(ks.resource.file) && !DEAD_PATH.test(ks.resource.file) && !isPatchLike(ks))
        .sort((a, b) => depth(a.resource.file) - depth(b.resource.file) || a.resource.file.localeCompare(b.resource.file))[0];
      if (!orphan) break;
      // A root whose build does not include the orphan must not be tried again.
      tried.add(orphan.resource.file);
      if (isDeadFile(orphan.resource.file)) continue;
      const folder = clusterFolderAbove(rootFolderOf(dirname(orphan.resource.file), tree, dirOf), clusters, dirOf);
      // An orphan inside a folder some cluster already builds is an unlisted file, not a root.
      const kustomization = dirOf(folder).file;
      if (kustomization !== undefined && reached.has(kustomization)) continue;
      // Once a cluster is known, another root must look like one: beside it, or under clusters/.
      const looksLikeCluster =
        clusters.length === 0 || clusters.some((c) => dirname(c.folder) === dirname(folder)) || /(^|\/)clusters(\/|$)/.test(folder);
      if (!looksLikeCluster || clusters.some((c) => c.folder === folder)) continue;
      const build = reachOf(input.render(folder, undefined));
      const entries = [...build.manifests].filter((f) => !build.patches.has(f)).flatMap((f) => (files.get(f)?.resources ?? []).map((r) => fluxByResource.get(r)!).filter(Boolean));
      if (!appliesOtherTrees(folder, entries)) continue;
      addCluster({
        folder,
        kind: 'unreferenced',
        file: orphan.resource.file,
        reason: `nothing applies ${folder || 'the repository root'}, a folder of Flux Kustomizations that apply other folders (${orphan.name} in ${orphan.resource.file}): a conventional cluster folder`,
      });
    }
  }

  // Names and namespaces are known only now, as kustomize and Flux leave them: the namespace the
  // builds give the document in the clusters that apply it, and the applier's post-build
  // substitution fills in `${VAR}` in names and dependsOn.
  const finalIdentity = (object: { resource: Resource; name: string; namespace: string; dependsOn: unknown }, fallback: string) => {
    const applier = appliedBy.get(object.resource.file)?.[0];
    const variables = applier ? postBuildVariables(applier) : {};
    object.namespace = agreedNamespace(appliedNamespaces.get(object.resource), object.resource.namespace || fallback);
    if (object.resource.name.includes('${')) object.name = substituteKnown(object.resource.name, variables) ?? object.resource.name;
    return variables;
  };
  for (const ks of fluxByResource.values()) {
    const before = ks.namespace;
    const variables = finalIdentity(ks, 'flux-system');
    ks.dependsOn = readDependsOn(ks.resource.object, ks.namespace, variables);
    if (ks.namespace !== before && ks.namespace !== '' && ks.sourceRef && typeof ks.resource.object.spec?.sourceRef?.namespace !== 'string') ks.sourceRef.namespace = ks.namespace;
  }
  for (const hr of helmByResource.values()) {
    const variables = finalIdentity(hr, '');
    hr.dependsOn = readDependsOn(hr.resource.object, hr.namespace, variables);
  }

  // A file a kustomization names as a patch is a partial object wherever it lies, whether or not a
  // cluster builds that kustomization (a dead folder, a repository whose clusters are not found):
  // never an object of its own, unless a cluster applies it as a manifest too.
  for (const dir of kustomizeDirs.values()) {
    for (const entry of dir.entries) {
      if (PATCH_FIELDS.has(entry.field) && entry.exists === 'file' && !appliedManifests.has(entry.target)) patchFiles.add(entry.target);
    }
  }

  const unreachable = [...files.keys()].filter((f) => !reached.has(f)).sort();
  return {
    kustomizeDirs,
    sources,
    ownRepositories: resolveContext.ownRepositories,
    fluxKustomizations: [...fluxByResource.values()].filter((ks) => !patchFiles.has(ks.resource.file)),
    helmReleases: [...helmByResource.values()].filter((hr) => !patchFiles.has(hr.resource.file)),
    clusters,
    clustersOf,
    appliedBy,
    patchFiles,
    appliedNamespaces,
    unreachable,
  };
}

const NOTHING_REACHED: BuildReach = emptyReach();

/**
 * The one namespace of an object across the clusters that apply it: unknown ('' matches any) where
 * a build cannot say (a kustomization's `namespace:` may yet move it) or where clusters disagree
 * (no cluster's answer is the object's); `written` (its own, else the default) where none applies it.
 */
function agreedNamespace(placements: ReadonlyMap<string, AppliedNamespace> | undefined, written: string): string {
  let agreed: string | undefined;
  for (const placement of placements?.values() ?? []) {
    if (placement.unknown !== undefined) return '';
    const namespace = placement.namespace || written;
    if (agreed !== undefined && agreed !== namespace) return '';
    agreed = namespace;
  }
  return agreed ?? written;
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

/**
 * The cluster folder above a folder of Kustomizations kept in subfolders (`clusters/prod/infra`
 * and `clusters/prod/apps`, with no kustomization.yaml in `clusters/prod`): the nearest ancestor
 * in a `clusters` folder, or beside a known cluster's folder, with no kustomization.yaml on the
 * way (Flux, pointed at it, generates one that reaches every subfolder). The folder itself when
 * there is none.
 */
function clusterFolderAbove(folder: string, clusters: readonly Cluster[], dirOf: (f: string) => KustomizeDir): string {
  for (const above of ancestors(folder + '/x')) {
    if (above === folder) continue;
    if (above === '' || basename(above) === 'clusters' || dirOf(above).file !== undefined) break;
    const parent = dirname(above);
    if (basename(parent) === 'clusters' || clusters.some((c) => c.folder !== above && c.folder !== '' && dirname(c.folder) === parent)) return above;
  }
  return folder;
}

function depth(path: string): number {
  return path.split('/').length;
}

/** A Kustomization document without a sourceRef is almost always a patch written as a file. */
function isPatchLike(ks: FluxKustomization): boolean {
  return !ks.resource.object.spec?.sourceRef;
}

/** Why a build gave no object for a document it applies. */
function whyUnplaced(rendered: RenderResult | undefined, folder: string, ks: FluxKustomization | undefined): string {
  const what = ks ? `Kustomization ${ks.namespace}/${ks.name}` : `the build of ${folder || '.'}`;
  if (!rendered) return `${what} cannot be built here`;
  if (rendered.error) return `kustomize refuses ${what}: ${rendered.error.message}`;
  if (rendered.unresolved.length > 0) return `${what} is not fully seen: ${rendered.unresolved[0].reason}`;
  return `${what} gives no object for it`;
}
