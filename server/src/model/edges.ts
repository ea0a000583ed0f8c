// Dependency edges between components: what one component needs from another. Layer rules judge
// their direction; every edge remembers the node it comes from, so a finding can point at it.
import { apiGroup, isCustomResource } from './crds';
import { stringLeaves } from './values';
import { componentOfPath, componentsByNamespace } from './layers';
import type { RepoModel } from './model';
import { isWithin } from './paths';
import type { Component, FluxKustomization, NodePath, Resource, YamlFile } from './types';

export type EdgeKind =
  | 'Flux dependsOn'
  | 'HelmRelease dependsOn'
  | 'kustomize path'
  | 'source reference'
  | 'secret or config reference'
  | 'service DNS name'
  | 'route backend'
  | 'NetworkPolicy namespaceSelector'
  | 'custom resource';

export interface DependencyEdge {
  kind: EdgeKind;
  from: Component;
  to: Component;
  /** Where the reference is written. */
  resource: Resource;
  nodePath: NodePath;
  /** What is referenced, for messages (a name, a DNS name, a kind). */
  target: string;
  /** The reference is this text inside the value at nodePath (a DNS name in a URL). */
  withinValue?: boolean;
}

const SERVICE_DNS = /\b([a-z0-9](?:[-a-z0-9]*[a-z0-9])?)\.([a-z0-9](?:[-a-z0-9]*[a-z0-9])?)\.svc(?:\.cluster\.local)?\b/g;

/**
 * Every dependency edge between components. Edges read from the graph (dependsOn, kustomize
 * paths, custom resources) are cached per derivation; edges read from a file's contents (DNS
 * names, namespaces in references) per parsed file.
 */
export function dependencyEdges(model: RepoModel): DependencyEdge[] {
  return [...model.files.values()].flatMap((file) => edgesOfFile(model, file));
}

/** The edges written in one file: so a rule can look at one changed file at a time. */
export function edgesOfFile(model: RepoModel, file: YamlFile): DependencyEdge[] {
  const layers = model.layers;
  if (layers.components.length === 0) return [];
  const structural = model.queries.get('structural edges', 'all', [layers], () => {
    const byFile = new Map<string, DependencyEdge[]>();
    for (const edge of structuralEdges(model)) {
      const list = byFile.get(edge.resource.file) ?? [];
      list.push(edge);
      byFile.set(edge.resource.file, list);
    }
    return byFile;
  });
  const own = structural.get(file.path) ?? [];
  if (!model.graph.clustersOf.has(file.path) || model.graph.patchFiles.has(file.path)) return own;
  // A file's reference edges read its objects and the components alone (the same array while they are equal, across a rebuilt graph).
  const edges = model.queries.get('reference edges', file, [layers.components], () => file.resources.flatMap((r) => referenceEdges(model, r)));
  return own.length === 0 ? edges : [...own, ...edges];
}

function edgeSink(edges: DependencyEdge[]) {
  return (kind: EdgeKind, from: Component | undefined, to: Component | undefined, resource: Resource, nodePath: NodePath, target: string) => {
    if (from && to && from !== to) edges.push({ kind, from, to, resource, nodePath, target, withinValue: kind === 'service DNS name' });
  };
}

function structuralEdges(model: RepoModel): DependencyEdge[] {
  const components = model.layers.components;
  const { graph } = model;
  const edges: DependencyEdge[] = [];
  const push = edgeSink(edges);
  const ofKustomization = (folder: string | undefined) => (folder === undefined ? undefined : componentOfPath(components, folder));
  // Flux Kustomizations stand for the component they apply; their files often live elsewhere.
  const { dependencies } = model;
  for (const ks of graph.fluxKustomizations) {
    for (const ref of ks.dependsOn) {
      const target = dependencies.targetsOf(ks, ref)[0] as FluxKustomization | undefined;
      push('Flux dependsOn', ofKustomization(ks.folder), ofKustomization(target?.folder), ks.resource, ref.nodePath, ref.name);
    }
  }
  for (const hr of graph.helmReleases) {
    for (const ref of hr.dependsOn) {
      const target = dependencies.targetsOf(hr, ref)[0];
      if (target) push('HelmRelease dependsOn', componentOfPath(components, hr.resource.file), componentOfPath(components, target.resource.file), hr.resource, ref.nodePath, ref.name);
    }
  }
  for (const dir of graph.kustomizeDirs.values()) {
    if (!dir.resource) continue;
    const from = componentOfPath(components, dir.folder);
    for (const entry of dir.entries) {
      if (entry.exists === 'missing' || entry.exists === 'remote') continue;
      const to = componentOfPath(components, entry.target);
      if (to && !isWithin(dir.folder, to.folder)) push('kustomize path', from, to, dir.resource, entry.nodePath, entry.value);
    }
  }
  const installers = model.crdInstallers;
  for (const resource of model.resources()) {
    if (!graph.clustersOf.has(resource.file) || !isCustomResource(resource)) continue;
    const from = componentOfPath(components, resource.file);
    const owners = (installers.get(apiGroup(resource.apiVersion)) ?? []).filter((i) => !i.kind || i.kind === resource.kind);
    for (const owner of owners) push('custom resource', from, componentOfPath(components, owner.resource.file), resource, ['kind'], `${resource.kind} (${apiGroup(resource.apiVersion)})`);
  }
  return edges;
}

/** References written inside one object: namespaces of sources and backends, DNS names. */
function referenceEdges(model: RepoModel, resource: Resource): DependencyEdge[] {
  const components = model.layers.components;
  const byNamespace = componentsByNamespace(components);
  const edges: DependencyEdge[] = [];
  const push = edgeSink(edges);
  const from = componentOfPath(components, resource.file);
  if (!from) return edges;
  const object = resource.object;
  const toNamespace = (ns: unknown) => (typeof ns === 'string' ? byNamespace.get(ns) : undefined);
  const spec = object.spec ?? {};
  if (spec.sourceRef?.namespace) push('source reference', from, toNamespace(spec.sourceRef.namespace), resource, ['spec', 'sourceRef', 'namespace'], `${spec.sourceRef.kind ?? ''} ${spec.sourceRef.name ?? ''}`.trim());
  if (spec.chart?.spec?.sourceRef?.namespace) push('source reference', from, toNamespace(spec.chart.spec.sourceRef.namespace), resource, ['spec', 'chart', 'spec', 'sourceRef', 'namespace'], String(spec.chart.spec.sourceRef.name ?? ''));
  if (spec.chartRef?.namespace) push('source reference', from, toNamespace(spec.chartRef.namespace), resource, ['spec', 'chartRef', 'namespace'], String(spec.chartRef.name ?? ''));
  if (spec.kubeConfig?.secretRef?.namespace) push('secret or config reference', from, toNamespace(spec.kubeConfig.secretRef.namespace), resource, ['spec', 'kubeConfig', 'secretRef', 'namespace'], String(spec.kubeConfig.secretRef.name ?? ''));
  if (Array.isArray(spec.rules)) {
    spec.rules.forEach((rule: any, i: number) =>
      (Array.isArray(rule?.backendRefs) ? rule.backendRefs : []).forEach((backend: any, j: number) => {
        if (backend?.namespace) push('route backend', from, toNamespace(backend.namespace), resource, ['spec', 'rules', i, 'backendRefs', j, 'namespace'], `${backend.name}.${backend.namespace}`);
      }),
    );
  }
  if (resource.kind === 'NetworkPolicy') {
    for (const direction of ['ingress', 'egress'] as const) {
      (Array.isArray(spec[direction]) ? spec[direction] : []).forEach((rule: any, i: number) => {
        const side = direction === 'ingress' ? 'from' : 'to';
        (Array.isArray(rule?.[side]) ? rule[side] : []).forEach((peer: any, j: number) => {
          const ns = peer?.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'];
          if (ns) push('NetworkPolicy namespaceSelector', from, toNamespace(ns), resource, ['spec', direction, i, side, j, 'namespaceSelector', 'matchLabels', 'kubernetes.io/metadata.name'], ns);
        });
      });
    }
  }
  // Service DNS names anywhere in HelmRelease values, ConfigMaps and container env.
  const scanned: [unknown, NodePath] | undefined =
    resource.kind === 'ConfigMap' ? [object.data, ['data']] : resource.kind === 'HelmRelease' ? [spec.values, ['spec', 'values']] : spec.template?.spec?.containers ? [spec.template.spec, ['spec', 'template', 'spec']] : undefined;
  if (scanned) {
    for (const [path, text] of stringLeaves(scanned[0], scanned[1])) {
      for (const match of text.matchAll(SERVICE_DNS)) push('service DNS name', from, byNamespace.get(match[2]), resource, path, match[0]);
    }
  }
  return edges;
}

