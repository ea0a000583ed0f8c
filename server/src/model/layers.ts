// Layers and components: from `.gitops-guardrails.yaml` when it names layers, else from folder
// naming conventions anchored at what the clusters apply. "No layers" is a valid answer.
import picomatch from 'picomatch';
import type { GuardrailsConfig } from './config';
import type { RepoGraph } from './graph';
import type { FileTree } from './kustomize';
import { ancestors, basename, dirname, isWithin } from './paths';
import type { Component, FluxKustomization, Layer, YamlFile } from './types';

/** Conventional layer folder names and their order (lower may be depended upon by higher). */
export const CONVENTIONAL_LAYERS: ReadonlyArray<readonly [number, readonly string[]]> = [
  [0, ['crds']],
  [1, ['core', 'system', 'infrastructure', 'infra', 'controllers', 'operators']],
  [2, ['services', 'datastores', 'databases', 'configs']],
  [3, ['platform']],
  [4, ['apps', 'applications', 'workloads', 'tenants']],
];

/** Folder names that group variants of components rather than being components. */
const VARIANT_FOLDERS = new Set(['base', 'bases', 'overlays', 'overlay', 'components', 'staging', 'production', 'prod', 'dev', 'development', 'stg', 'test', 'qa', 'uat', 'preprod']);

export interface LayerModel {
  layers: Layer[];
  /** Components of every layer, plus, without layers, one per Flux Kustomization target. */
  components: Component[];
  source: 'config' | 'convention' | 'labels' | 'none';
}

export function deriveLayers(
  files: ReadonlyMap<string, YamlFile>,
  folders: readonly string[],
  tree: FileTree,
  graph: RepoGraph,
  config: GuardrailsConfig,
): LayerModel {
  let layers: Layer[] = [];
  let source: LayerModel['source'] = 'none';
  if (config.layers && config.layers.length > 0) {
    source = 'config';
    layers = config.layers.map((layer, order) => {
      const match = picomatch(layer.paths, { dot: true });
      return { name: layer.name, order, folders: folders.filter((f) => match(f)), components: [] };
    });
  } else {
    const clusterFolders = graph.clusters.map((c) => c.folder).filter((f) => f !== '');
    const liveFolders = new Set<string>();
    for (const file of graph.clustersOf.keys()) for (const folder of ancestors(file)) liveFolders.add(folder);
    const live = (folder: string) => liveFolders.has(folder);
    const byName = new Map<string, Layer>();
    for (const folder of folders) {
      const name = basename(folder).toLowerCase();
      const entry = CONVENTIONAL_LAYERS.find(([, names]) => names.includes(name));
      if (!entry || clusterFolders.some((c) => isWithin(folder, c)) || !live(folder)) continue;
      let layer = byName.get(name);
      if (!layer) byName.set(name, (layer = { name, order: entry[0], folders: [], components: [] }));
      layer.folders.push(folder);
    }
    // Layer folders stand side by side (environments/{core,apps}) or nest in an accepted layer
    // (infrastructure/{controllers,configs}); a lone "apps" or "crds" folder is no layering.
    const candidates = [...byName.values()].flatMap((l) => l.folders.map((folder) => ({ folder, order: l.order })));
    const ordersBelow = new Map<string, Set<number>>();
    for (const c of candidates) {
      const parent = dirname(c.folder);
      if (!ordersBelow.has(parent)) ordersBelow.set(parent, new Set());
      ordersBelow.get(parent)!.add(c.order);
    }
    const accepted = new Set(candidates.filter((c) => (ordersBelow.get(dirname(c.folder))?.size ?? 0) >= 2).map((c) => c.folder));
    for (const c of candidates) if (accepted.has(dirname(c.folder))) accepted.add(c.folder);
    for (const layer of byName.values()) layer.folders = layer.folders.filter((f) => accepted.has(f));
    layers = [...byName.values()].filter((l) => l.folders.length > 0).sort((a, b) => a.order - b.order || a.name.localeCompare(b.name));
    if (new Set(layers.map((l) => l.order)).size >= 2) source = 'convention';
    else layers = [];
  }

  const layerFolders = new Set(layers.flatMap((l) => l.folders));
  const components: Component[] = [];
  for (const layer of layers) {
    for (const folder of layer.folders) {
      for (const sub of componentFolders(folder, tree, layerFolders)) {
        const component: Component = { name: basename(sub), layer: layer.name, folder: sub, namespaces: [], ownNamespaces: [] };
        layer.components.push(component);
        components.push(component);
      }
    }
  }
  if (layers.length === 0) {
    const labelled = layersFromLabels(graph);
    if (labelled) {
      source = 'labels';
      layers = labelled.layers;
      components.push(...labelled.components);
    }
  }
  if (layers.length === 0) {
    const seen = new Set<string>();
    for (const cluster of graph.clusters) {
      for (const ks of cluster.kustomizations) {
        if (ks.folder === undefined || ks.folder === cluster.folder || seen.has(ks.folder)) continue;
        // A Kustomization that applies other Kustomizations is an entry point, not a component.
        if (ks.appliedFiles.some((f) => (files.get(f)?.resources ?? []).some((r) => r.kind === 'Kustomization' && r.apiVersion.startsWith('kustomize.toolkit.fluxcd.io/')))) continue;
        seen.add(ks.folder);
        components.push({ name: ks.name, folder: ks.folder, namespaces: [], ownNamespaces: [] });
      }
    }
  }
  assignNamespaces(components, files, graph);
  return { layers, components, source };
}

function componentFolders(layerFolder: string, tree: FileTree, layerFolders: ReadonlySet<string>): string[] {
  const result: string[] = [];
  for (const sub of tree.children(layerFolder).folders) {
    if (layerFolders.has(sub)) continue;
    if (VARIANT_FOLDERS.has(basename(sub).toLowerCase())) {
      if (basename(sub).toLowerCase().startsWith('base')) result.push(...tree.children(sub).folders.filter((f) => !layerFolders.has(f)));
      continue;
    }
    result.push(sub);
  }
  return result;
}

/** One pass over the files: each file's namespaces go to the components that hold it. */
function assignNamespaces(components: Component[], files: ReadonlyMap<string, YamlFile>, graph: RepoGraph): void {
  const byFolder = new Map<string, Component[]>();
  for (const c of components) byFolder.set(c.folder, [...(byFolder.get(c.folder) ?? []), c]);
  const facts = new Map<Component, { namespaces: Set<string>; declared: Set<string>; injected: Set<string> }>();
  for (const c of components) facts.set(c, { namespaces: new Set(), declared: new Set(), injected: new Set() });
  for (const [path, file] of files) {
    if (graph.patchFiles.has(path)) continue;
    const holders = ancestors(path).flatMap((folder) => byFolder.get(folder) ?? []);
    if (holders.length === 0) continue;
    const inject = graph.injectedNamespace.get(path);
    for (const holder of holders) {
      const f = facts.get(holder)!;
      if (inject && !inject.includes('${')) f.injected.add(inject);
      for (const r of file.resources) {
        if (r.kind === 'Namespace' && r.apiVersion === 'v1' && r.name && !r.name.includes('${')) {
          f.namespaces.add(r.name);
          f.declared.add(r.name);
        } else {
          const ns = inject ?? r.namespace;
          if (ns && !ns.includes('${')) f.namespaces.add(ns);
        }
      }
    }
  }
  for (const c of components) {
    const f = facts.get(c)!;
    c.namespaces = [...f.namespaces].sort();
    c.ownNamespaces = [...(f.declared.size > 0 ? f.declared : f.injected)].sort();
  }
}

export function layerOfPath(layers: readonly Layer[], repoPath: string): Layer | undefined {
  let best: Layer | undefined;
  let bestLength = -1;
  for (const layer of layers) {
    for (const folder of layer.folders) {
      if (isWithin(repoPath, folder) && folder.length > bestLength) {
        best = layer;
        bestLength = folder.length;
      }
    }
  }
  return best;
}


const componentIndex = new WeakMap<readonly Component[], Map<string, Component>>();

/** A Flux Kustomization's layer label: `layer`, or any `<prefix>/layer`. */
function layerLabel(ks: FluxKustomization): string | undefined {
  const labels = ks.resource.object.metadata?.labels;
  if (!labels || typeof labels !== 'object') return undefined;
  for (const [key, value] of Object.entries(labels)) {
    if ((key === 'layer' || key.endsWith('/layer')) && typeof value === 'string' && value) return value;
  }
  return undefined;
}

/**
 * Layers named by a label on the Flux Kustomizations, each Kustomization's folder a component.
 * Conventional names give the order; other names are ordered by their dependsOn edges.
 */
function layersFromLabels(graph: RepoGraph): { layers: Layer[]; components: Component[] } | undefined {
  const byLayer = new Map<string, FluxKustomization[]>();
  for (const cluster of graph.clusters) {
    for (const ks of cluster.kustomizations) {
      const layer = layerLabel(ks);
      if (layer && ks.folder !== undefined && !(byLayer.get(layer) ?? []).includes(ks)) byLayer.set(layer, [...(byLayer.get(layer) ?? []), ks]);
    }
  }
  if (byLayer.size < 2) return undefined;
  const layerOf = new Map<string, string>();
  for (const [layer, list] of byLayer) for (const ks of list) layerOf.set(`${ks.namespace}/${ks.name}`, layer);
  // A layer whose Kustomizations depend on another layer's comes after it.
  const below = new Map<string, Set<string>>([...byLayer.keys()].map((l) => [l, new Set<string>()]));
  for (const [layer, list] of byLayer) {
    for (const ks of list) for (const ref of ks.dependsOn) {
      const target = layerOf.get(`${ref.namespace}/${ref.name}`);
      if (target && target !== layer) below.get(layer)!.add(target);
    }
  }
  const conventional = (name: string) => CONVENTIONAL_LAYERS.find(([, names]) => names.includes(name.toLowerCase()))?.[0];
  const depth = (layer: string, seen = new Set<string>()): number => {
    if (seen.has(layer)) return 0;
    seen.add(layer);
    return Math.max(-1, ...[...below.get(layer)!].map((l) => depth(l, seen))) + 1;
  };
  const ordered = [...byLayer.keys()].sort((a, b) => (conventional(a) ?? depth(a)) - (conventional(b) ?? depth(b)) || a.localeCompare(b));
  const components: Component[] = [];
  const layers: Layer[] = ordered.map((name, order) => {
    const list = byLayer.get(name)!;
    const own = list.map((ks) => ({ name: ks.name, layer: name, folder: ks.folder!, namespaces: [], ownNamespaces: [] }));
    components.push(...own);
    return { name, order, folders: list.map((ks) => ks.folder!), components: own };
  });
  return { layers, components };
}

/** The component whose folder holds a path (the deepest one). */
export function componentOfPath(components: readonly Component[], repoPath: string): Component | undefined {
  let index = componentIndex.get(components);
  if (!index) {
    index = new Map();
    for (const c of components) if (!index.has(c.folder)) index.set(c.folder, c);
    componentIndex.set(components, index);
  }
  if (index.has(repoPath)) return index.get(repoPath);
  for (const folder of ancestors(repoPath)) {
    const found = index.get(folder);
    if (found) return found;
  }
  return undefined;
}

const namespaceIndex = new WeakMap<readonly Component[], Map<string, Component>>();

/** Components by the namespaces they own; a namespace two components share belongs to neither. */
export function componentsByNamespace(components: readonly Component[]): Map<string, Component> {
  const cached = namespaceIndex.get(components);
  if (cached) return cached;
  const owners = new Map<string, Component | null>();
  for (const c of components) {
    for (const ns of c.ownNamespaces) owners.set(ns, owners.has(ns) && owners.get(ns) !== c ? null : c);
  }
  const result = new Map<string, Component>();
  for (const [ns, c] of owners) if (c) result.set(ns, c);
  namespaceIndex.set(components, result);
  return result;
}
