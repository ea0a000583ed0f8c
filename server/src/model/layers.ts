// Layers and components: from `.gitops-guardrails.yaml` when it names layers, else from folder
// naming conventions anchored at what the clusters apply. "No layers" is a valid answer.
import { derived } from './query';
import picomatch from 'picomatch';
import type { GuardrailsConfig } from './config';
import type { RepoGraph } from './graph';
import type { FileTree } from './kustomize';
import { ancestors, basename, dirname, isWithin } from './paths';
import type { Component, FluxKustomization, Layer, NodePath, Resource, YamlFile } from './types';

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
  /** Where the order of the layers comes from, and whether it is certain enough to report on. */
  order: LayerOrder;
}

export interface LayerOrder {
  source: 'configured' | 'convention' | 'inferred-labels' | 'inferred-dependsOn' | 'none';
  /** Configured, conventional, or inferred with labels and dependsOn edges agreeing. */
  certain: boolean;
  /** How the order was found (and, when not certain, why not), in a sentence. */
  reason: string;
  /** Where to say once that the order was assumed: the label of the lowest layer's first Kustomization. */
  evidence?: { resource: Resource; nodePath: NodePath };
}

const NO_ORDER: LayerOrder = { source: 'none', certain: false, reason: 'no layers were found' };

export function deriveLayers(
  files: ReadonlyMap<string, YamlFile>,
  folders: readonly string[],
  tree: FileTree,
  graph: RepoGraph,
  config: GuardrailsConfig,
): LayerModel {
  let layers: Layer[] = [];
  /** Folders inside a layer folder that group its components (platform/databases/{postgres,valkey}). */
  const groupFolders = new Set<string>();
  let source: LayerModel['source'] = 'none';
  let order: LayerOrder = NO_ORDER;
  if (config.layers && config.layers.length > 0) {
    source = 'config';
    order = { source: 'configured', certain: true, reason: `the layers of ${'.gitops-guardrails.yaml'}, lowest first` };
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
    // Layer folders stand side by side (environments/{core,apps}), at the top or inside a layer
    // (infrastructure/{controllers,configs}); a lone "apps" or "crds" folder is no layering, and a
    // lone conventional name inside a layer (platform/databases) is a part of that layer, not a
    // layer below or above it.
    const candidates = [...byName.values()].flatMap((l) => l.folders.map((folder) => ({ folder, order: l.order })));
    const ordersBelow = new Map<string, Set<number>>();
    for (const c of candidates) {
      const parent = dirname(c.folder);
      if (!ordersBelow.has(parent)) ordersBelow.set(parent, new Set());
      ordersBelow.get(parent)!.add(c.order);
    }
    const accepted = new Set(candidates.filter((c) => (ordersBelow.get(dirname(c.folder))?.size ?? 0) >= 2).map((c) => c.folder));
    // Such a lone name inside an accepted layer still groups components, as a layer folder does.
    for (const c of candidates) if (!accepted.has(c.folder) && accepted.has(dirname(c.folder))) groupFolders.add(c.folder);
    for (const layer of byName.values()) layer.folders = layer.folders.filter((f) => accepted.has(f));
    layers = [...byName.values()].filter((l) => l.folders.length > 0).sort((a, b) => a.order - b.order || a.name.localeCompare(b.name));
    if (new Set(layers.map((l) => l.order)).size >= 2) {
      source = 'convention';
      order = { source: 'convention', certain: true, reason: `conventional layer folder names (${layers.map((l) => l.folders[0]).join(', ')})` };
    } else layers = [];
  }

  const layerFolders = new Set(layers.flatMap((l) => l.folders));
  const components: Component[] = [];
  for (const layer of layers) {
    for (const folder of layer.folders) {
      for (const sub of componentFolders(folder, tree, layerFolders, groupFolders)) {
        const component: Component = { name: basename(sub), layer: layer.name, folder: sub, namespaces: [], ownNamespaces: [] };
        layer.components.push(component);
        components.push(component);
      }
    }
  }
  if (layers.length === 0) {
    const labelled = layersFromLabels(graph, config.layerOrder);
    if (labelled) {
      source = 'labels';
      layers = labelled.layers;
      order = labelled.order;
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
  return { layers, components, source, order };
}

function componentFolders(layerFolder: string, tree: FileTree, layerFolders: ReadonlySet<string>, groupFolders: ReadonlySet<string>): string[] {
  const result: string[] = [];
  for (const sub of tree.children(layerFolder).folders) {
    if (layerFolders.has(sub)) continue;
    if (groupFolders.has(sub)) {
      result.push(...componentFolders(sub, tree, layerFolders, groupFolders));
      continue;
    }
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
    for (const holder of holders) {
      const f = facts.get(holder)!;
      for (const r of file.resources) {
        // Where the render engine puts it in each cluster that applies it (nowhere known where
        // the build cannot say), else where it says.
        const perCluster = graph.appliedNamespaces.get(r);
        for (const applied of perCluster?.values() ?? []) {
          const injected = applied.setBy !== undefined && applied.namespace !== '' ? applied.namespace : undefined;
          if (injected && !injected.includes('${')) f.injected.add(injected);
        }
        if (r.kind === 'Namespace' && r.apiVersion === 'v1' && r.name && !r.name.includes('${')) {
          f.namespaces.add(r.name);
          f.declared.add(r.name);
        } else {
          const namespaces = perCluster && perCluster.size > 0 ? [...perCluster.values()].map((a) => a.namespace) : [r.namespace];
          for (const ns of namespaces) if (ns && !ns.includes('${')) f.namespaces.add(ns);
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


/** Components by folder (the first of each), once per list of components. */
const componentIndex = derived((components: readonly Component[]) => {
  const index = new Map<string, Component>();
  for (const c of components) if (!index.has(c.folder)) index.set(c.folder, c);
  return index;
});

/** A Flux Kustomization's layer label: `layer`, or any `<prefix>/layer`, with its key. */
function layerLabel(ks: FluxKustomization): { value: string; key: string } | undefined {
  const labels = ks.resource.object.metadata?.labels;
  if (!labels || typeof labels !== 'object') return undefined;
  for (const [key, value] of Object.entries(labels)) {
    if ((key === 'layer' || key.endsWith('/layer')) && typeof value === 'string' && value) return { value, key };
  }
  return undefined;
}

/**
 * What a layer label's words say about its rank, lowest first. Names on one rank (platform, data,
 * observability) are ordered among themselves by the dependsOn edges.
 */
const LABEL_RANKS: ReadonlyArray<readonly [number, readonly string[]]> = [
  [0, ['crds', 'crd', 'foundation', 'bootstrap', 'base']],
  [1, ['core', 'system', 'infrastructure', 'infra', 'controllers', 'operators', 'cluster']],
  [2, ['services', 'configs', 'config', 'platform', 'data', 'datastores', 'databases', 'storage', 'observability', 'monitoring', 'middleware', 'shared']],
  [3, ['apps', 'applications', 'app', 'workloads', 'tenants']],
];

/** The rank a label's name gives: a tier number (`tier-0-foundation`, `01-core`), else a known word. */
function labelNumber(name: string): number | undefined {
  const match = /(?:^|[^0-9])([0-9]{1,3})(?:[^0-9]|$)/.exec(name);
  return match ? Number(match[1]) : undefined;
}

function labelWordRank(name: string): number | undefined {
  const words = name.toLowerCase().split(/[^a-z]+/).filter(Boolean);
  for (const word of words.reverse()) {
    const entry = LABEL_RANKS.find(([, names]) => names.includes(word));
    if (entry) return entry[0];
  }
  return undefined;
}

/**
 * Layers named by a label on the Flux Kustomizations, each Kustomization's folder a component.
 * The order: `layerOrder` from the config; else tier numbers or known words in the labels; else
 * the majority direction of the dependsOn edges between layers. It is certain when configured,
 * or when every pair of layers that has edges between them agrees with it (a strict majority
 * where the labels rank the pair, all edges where only the edges do).
 */
function layersFromLabels(graph: RepoGraph, configuredOrder: readonly string[] | undefined): { layers: Layer[]; components: Component[]; order: LayerOrder } | undefined {
  const byLayer = new Map<string, FluxKustomization[]>();
  const firstLabel = new Map<string, { resource: Resource; nodePath: NodePath }>();
  for (const cluster of graph.clusters) {
    for (const ks of cluster.kustomizations) {
      const label = layerLabel(ks);
      if (!label || ks.folder === undefined || (byLayer.get(label.value) ?? []).includes(ks)) continue;
      byLayer.set(label.value, [...(byLayer.get(label.value) ?? []), ks]);
      if (!firstLabel.has(label.value)) firstLabel.set(label.value, { resource: ks.resource, nodePath: ['metadata', 'labels', label.key] });
    }
  }
  if (byLayer.size < 2) return undefined;
  const names = [...byLayer.keys()];
  const layerOf = new Map<string, string>();
  for (const [layer, list] of byLayer) for (const ks of list) layerOf.set(`${ks.namespace}/${ks.name}`, layer);
  // edges.get(a).get(b): how many dependsOn edges lead from layer a to layer b.
  const edges = new Map<string, Map<string, number>>(names.map((l) => [l, new Map<string, number>()]));
  for (const [layer, list] of byLayer) {
    for (const ks of list) for (const ref of ks.dependsOn) {
      const target = layerOf.get(`${ref.namespace}/${ref.name}`);
      if (target && target !== layer) edges.get(layer)!.set(target, (edges.get(layer)!.get(target) ?? 0) + 1);
    }
  }
  const count = (a: string, b: string) => edges.get(a)!.get(b) ?? 0;

  let rankOf: (name: string) => number | undefined;
  let source: LayerOrder['source'];
  let ranked: string;
  const numbers = names.map(labelNumber);
  const words = names.map(labelWordRank);
  if (configuredOrder && names.every((n) => configuredOrder.includes(n))) {
    rankOf = (n) => configuredOrder.indexOf(n);
    source = 'configured';
    ranked = 'layerOrder in .gitops-guardrails.yaml';
  } else if (numbers.every((n) => n !== undefined) && new Set(numbers).size === names.length) {
    rankOf = (n) => numbers[names.indexOf(n)];
    source = 'inferred-labels';
    ranked = 'the tier numbers in the layer labels';
  } else if (words.every((w) => w !== undefined)) {
    rankOf = (n) => words[names.indexOf(n)];
    source = 'inferred-labels';
    ranked = 'the known layer names in the labels';
  } else {
    rankOf = () => undefined;
    source = 'inferred-dependsOn';
    ranked = 'the direction of the dependsOn edges between layers';
  }

  // a before b when the ranks say so, else when more edges lead from b to a than back.
  const before = (a: string, b: string): boolean | undefined => {
    const ra = rankOf(a);
    const rb = rankOf(b);
    if (ra !== undefined && rb !== undefined && ra !== rb) return ra < rb;
    if (count(b, a) !== count(a, b)) return count(b, a) > count(a, b);
    return undefined;
  };
  const ordered: string[] = [];
  const left = new Set(names);
  const fallback = (a: string, b: string) => (rankOf(a) ?? Infinity) - (rankOf(b) ?? Infinity) || a.localeCompare(b);
  while (left.size > 0) {
    const free = [...left].filter((a) => ![...left].some((b) => b !== a && before(b, a) === true)).sort(fallback);
    // A cycle in the majority edges: take the lowest by rank and name, and say the order is not certain.
    const next = free[0] ?? [...left].sort(fallback)[0];
    ordered.push(next);
    left.delete(next);
  }

  // Doubts: edges that point up where the labels rank the pair and most edges agree with
  // them are findings; where they are not the majority, or only the edges rank the pair, the
  // order itself is in doubt.
  const doubts: string[] = [];
  for (let i = 0; i < ordered.length && source !== 'configured'; i++) {
    for (let j = i + 1; j < ordered.length; j++) {
      const [low, high] = [ordered[i], ordered[j]];
      const up = count(low, high);
      const down = count(high, low);
      const byRank = rankOf(low) !== undefined && rankOf(high) !== undefined && rankOf(low) !== rankOf(high);
      if (up > 0 && (!byRank || up >= down)) doubts.push(`${up} of ${up + down} dependsOn edges between ${low} and ${high} lead from ${low} to ${high}`);
    }
  }
  const certain = doubts.length === 0;
  const ladder = ordered.join(' ← ');
  const reason = certain ? `${ranked} (${ladder})` : `${ranked} (${ladder}), although ${doubts.slice(0, 2).join('; ')}`;

  const components: Component[] = [];
  const layers: Layer[] = ordered.map((name, index) => {
    const list = byLayer.get(name)!;
    const own = list.map((ks) => ({ name: ks.name, layer: name, folder: ks.folder!, namespaces: [], ownNamespaces: [] }));
    components.push(...own);
    return { name, order: index, folders: list.map((ks) => ks.folder!), components: own };
  });
  return { layers, components, order: { source, certain, reason, evidence: firstLabel.get(ordered[0]) } };
}

/** The component whose folder holds a path (the deepest one). */
export function componentOfPath(components: readonly Component[], repoPath: string): Component | undefined {
  const index = componentIndex(components);
  if (index.has(repoPath)) return index.get(repoPath);
  for (const folder of ancestors(repoPath)) {
    const found = index.get(folder);
    if (found) return found;
  }
  return undefined;
}

/** Components by the namespaces they own; a namespace two components share belongs to neither. */
export const componentsByNamespace = derived((components: readonly Component[]): Map<string, Component> => {
  const owners = new Map<string, Component | null>();
  for (const c of components) {
    for (const ns of c.ownNamespaces) owners.set(ns, owners.has(ns) && owners.get(ns) !== c ? null : c);
  }
  const result = new Map<string, Component>();
  for (const [ns, c] of owners) if (c) result.set(ns, c);
  return result;
});
