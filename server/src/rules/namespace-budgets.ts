// Each cluster's namespaces with what the quota rules weigh: workloads (manifests and chart-value
// estimates, HPAs at maxReplicas, LimitRange defaults applied as admission does), quotas, claims;
// and the component namespaces that the namespace-wide rules (quota, netpol) report, with where.
import { autoscalerTarget } from '../budget/autoscaler';
import { claimBudget } from '../budget/claims';
import { estimateHelmReleaseClaims, estimateHelmReleaseWorkloads } from '../budget/helm-values';
import { workloadBudget, WORKLOAD_KINDS } from '../budget/pod';
import type { ClaimBudget, WorkloadBudget } from '../budget/types';
import type { RepoModel } from '../model/model';
import { dirname } from '../model/paths';
import type { Component, Range } from '../model/types';
import { clusterObjects, type BuiltObject } from './cluster-objects';

/** Namespaces Kubernetes and Flux own: no component's policy belongs there. */
export const SYSTEM_NAMESPACES: ReadonlySet<string> = new Set(['kube-system', 'kube-public', 'kube-node-lease', 'flux-system']);

export interface NamespaceWorkload {
  budget: WorkloadBudget;
  /** The manifest or HelmRelease it comes from. */
  source: BuiltObject;
}

export interface NamespaceBudget {
  cluster: string;
  namespace: string;
  objects: BuiltObject[];
  workloads: NamespaceWorkload[];
  /** HelmReleases whose values show no workload: their pods are invisible here. */
  unseenCharts: BuiltObject[];
  quotas: BuiltObject[];
  limitRanges: BuiltObject[];
  claims: ClaimBudget[];
}

const cache = new WeakMap<object, NamespaceBudget[]>();
/** The last budgets of a model by `cluster/namespace`, to reuse those whose objects did not change. */
const previousBudgets = new WeakMap<RepoModel, Map<string, NamespaceBudget>>();

/** Every (cluster, namespace) pair that holds an object, LimitRange defaults applied; cached with the cluster objects. */
export function namespaceBudgets(model: RepoModel): NamespaceBudget[] {
  const clusters = clusterObjects(model);
  const cached = cache.get(clusters);
  if (cached) return cached;
  const result: NamespaceBudget[] = [];
  cache.set(clusters, result);
  for (const { cluster, objects } of clusters) {
    const byNamespace = new Map<string, BuiltObject[]>();
    for (const o of objects) {
      // A Namespace object belongs to the namespace it declares.
      const namespace = o.kind === 'HelmRelease' ? helmTargetNamespace(o) : o.kind === 'Namespace' ? o.name : o.namespace;
      if (!namespace || namespace.includes('${')) continue;
      const list = byNamespace.get(namespace) ?? [];
      list.push(o);
      byNamespace.set(namespace, list);
    }
    for (const [namespace, list] of [...byNamespace].sort((a, b) => a[0].localeCompare(b[0]))) {
      // The same objects as last time (unchanged Kustomization builds): the same budget.
      const key = `${cluster.name}/${namespace}`;
      const previous = previousBudgets.get(model)?.get(key);
      if (previous && previous.objects.length === list.length && previous.objects.every((o, i) => o === list[i])) {
        result.push(previous);
        continue;
      }
      const limitRanges = list.filter((o) => o.kind === 'LimitRange');
      const { workloads, unseenCharts, claims } = workloadsOf(list, limitRanges.map((o) => o.object));
      result.push({
        cluster: cluster.name,
        namespace,
        objects: list,
        workloads,
        unseenCharts,
        quotas: list.filter((o) => o.kind === 'ResourceQuota' && o.resource.apiVersion === 'v1'),
        limitRanges,
        claims,
      });
    }
  }
  previousBudgets.set(model, new Map(result.map((b) => [`${b.cluster}/${b.namespace}`, b])));
  return result;
}

/** A HelmRelease's pods land in spec.targetNamespace, else the release's own namespace. */
export function helmTargetNamespace(o: BuiltObject): string {
  const target = o.object?.spec?.targetNamespace;
  return typeof target === 'string' && target ? target : o.namespace;
}

/** The namespace's workloads, with the given LimitRange objects applied as admission would. */
export function workloadsOf(objects: readonly BuiltObject[], limitRanges: readonly unknown[]): { workloads: NamespaceWorkload[]; unseenCharts: BuiltObject[]; claims: ClaimBudget[] } {
  const maxReplicas = new Map<string, number>();
  for (const o of objects) {
    const target = o.kind === 'HorizontalPodAutoscaler' ? autoscalerTarget(o.object) : undefined;
    if (target) maxReplicas.set(`${target.kind}/${target.name}`, target.maxReplicas);
  }
  const workloads: NamespaceWorkload[] = [];
  const unseenCharts: BuiltObject[] = [];
  const claims: ClaimBudget[] = [];
  for (const o of objects) {
    if (WORKLOAD_KINDS.has(o.kind) && o.resource.apiVersion !== '' && !o.resource.apiVersion.includes('fluxcd.io')) {
      const replicas = maxReplicas.get(`${o.kind}/${o.name}`);
      const budget = workloadBudget(o.object, { limitRanges, replicas });
      if (!budget) continue;
      if (replicas !== undefined) budget.notes.push(`autoscaled: counted at the HorizontalPodAutoscaler's maxReplicas ${replicas}`);
      workloads.push({ budget, source: o });
    } else if (o.kind === 'HelmRelease' && o.resource.apiVersion.startsWith('helm.toolkit.fluxcd.io/')) {
      const estimated = estimateHelmReleaseWorkloads(o.object, { limitRanges });
      if (estimated.length === 0) unseenCharts.push(o);
      for (const budget of estimated) workloads.push({ budget, source: o });
      claims.push(...estimateHelmReleaseClaims(o.object));
    } else if (o.kind === 'PersistentVolumeClaim') {
      const claim = claimBudget(o.object);
      if (claim) claims.push(claim);
    }
  }
  return { workloads, unseenCharts, claims };
}

/** Notes worth showing beside a workload's numbers, prefixed by its name. */
export function workloadNotes(workloads: readonly NamespaceWorkload[], names?: ReadonlySet<string>): string[] {
  const notes: string[] = [];
  for (const { budget } of workloads) {
    if (names && !names.has(budget.name)) continue;
    const own = [...(budget.estimatedFrom ? ['estimated from chart values'] : []), ...budget.notes];
    if (own.length > 0) notes.push(`${budget.name}: ${own.join('; ')}`);
  }
  return notes;
}

const byNamespaceCache = new WeakMap<object, Map<string, NamespaceBudget[]>>();

/** The budgets of each namespace, across clusters; cached with the budgets. */
export function budgetsByNamespace(model: RepoModel): Map<string, NamespaceBudget[]> {
  const budgets = namespaceBudgets(model);
  let grouped = byNamespaceCache.get(budgets);
  if (!grouped) {
    grouped = new Map();
    for (const b of budgets) grouped.set(b.namespace, [...(grouped.get(b.namespace) ?? []), b]);
    byNamespaceCache.set(budgets, grouped);
  }
  return grouped;
}

/** Namespaces components own, with their components (ordered by folder); system namespaces aside. */
export function componentNamespaces(model: RepoModel): Map<string, Component[]> {
  const result = new Map<string, Component[]>();
  const components = [...model.layers.components].sort((a, b) => a.folder.localeCompare(b.folder));
  for (const c of components) {
    for (const ns of c.ownNamespaces) {
      if (SYSTEM_NAMESPACES.has(ns) || ns.includes('${')) continue;
      result.set(ns, [...(result.get(ns) ?? []), c]);
    }
  }
  return new Map([...result].sort((a, b) => a[0].localeCompare(b[0])));
}

export interface NamespaceAnchor {
  file: string;
  range: Range;
  /** Where a new manifest for the namespace goes. */
  folder: string;
}

/**
 * Where a namespace-wide finding goes: its Namespace object, else the kustomization that names it,
 * else the first component's kustomization.yaml (or first resource when it has none).
 */
export function anchorOf(model: RepoModel, namespace: string, components: readonly Component[], budgets: readonly NamespaceBudget[]): NamespaceAnchor | undefined {
  const namespaces = namespaceObjects(model, budgets, namespace);
  const own = namespaces.find((o) => o.resource.name === namespace);
  if (own) return { file: own.resource.file, range: model.rangeOf(own.resource, ['metadata', 'name']), folder: dirname(own.resource.file) };
  const renamed = namespaces.find((o) => o.namespaceSetBy && model.graph.kustomizeDirs.get(dirname(o.namespaceSetBy))?.file === o.namespaceSetBy);
  const dir = renamed ? model.graph.kustomizeDirs.get(dirname(renamed.namespaceSetBy!)) : undefined;
  if (dir?.resource) return { file: dir.resource.file, range: model.rangeOf(dir.resource, ['namespace']), folder: dir.folder };
  for (const component of components) {
    const kustomization = model.graph.kustomizeDirs.get(component.folder);
    if (kustomization?.resource) {
      const path = typeof kustomization.resource.object.namespace === 'string' ? ['namespace'] : ['kind'];
      return { file: kustomization.resource.file, range: model.rangeOf(kustomization.resource, path), folder: component.folder };
    }
    const first = budgets.flatMap((b) => b.objects).find((o) => o.resource.file.startsWith(component.folder + '/'));
    if (first) return { file: first.resource.file, range: model.rangeOf(first.resource, ['metadata', first.resource.namespace ? 'namespace' : 'name']), folder: component.folder };
  }
  return undefined;
}

const namespaceIndex = new WeakMap<object, Map<string, Map<string, BuiltObject[]>>>();

/** The Namespace objects named `namespace` in the clusters of `budgets` (after kustomize renamed them). */
function namespaceObjects(model: RepoModel, budgets: readonly NamespaceBudget[], namespace: string): BuiltObject[] {
  const all = clusterObjects(model);
  let index = namespaceIndex.get(all);
  if (!index) {
    // cluster → Namespace name → its objects: one pass instead of one scan per namespace.
    index = new Map(all.map((c) => {
      const byName = new Map<string, BuiltObject[]>();
      for (const o of c.objects) if (o.kind === 'Namespace' && o.resource.apiVersion === 'v1') byName.set(o.name, [...(byName.get(o.name) ?? []), o]);
      return [c.cluster.name, byName] as const;
    }));
    namespaceIndex.set(all, index);
  }
  const clusters = new Set(budgets.map((b) => b.cluster));
  return all.filter((c) => clusters.has(c.cluster.name)).flatMap((c) => index!.get(c.cluster.name)?.get(namespace) ?? []);
}

const memos = new WeakMap<RepoModel, Map<string, { inputs: readonly unknown[]; value: unknown }>>();

/**
 * A value computed from `inputs` (budgets, components, the graph), reused while every input is the
 * same object as last time: budgets are reused while their namespace's objects are unchanged, so
 * an edit recomputes the findings of the namespaces it touches only.
 */
export function memoized<T>(model: RepoModel, key: string, inputs: readonly unknown[], compute: () => T): T {
  let byKey = memos.get(model);
  if (!byKey) memos.set(model, (byKey = new Map()));
  const cached = byKey.get(key);
  if (cached && cached.inputs.length === inputs.length && cached.inputs.every((input, i) => input === inputs[i])) return cached.value as T;
  const value = compute();
  byKey.set(key, { inputs, value });
  return value;
}
