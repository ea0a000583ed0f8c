// Each cluster's namespaces with what the quota rules weigh: workloads (manifests and chart-value
// estimates, HPAs at maxReplicas, LimitRange defaults applied as admission does), quotas, claims;
// and the component namespaces that the namespace-wide rules (quota, netpol) report, with where.
import { autoscalerTarget } from '../budget/autoscaler';
import { claimBudget } from '../budget/claims';
import { estimateHelmReleaseClaims, estimateHelmReleaseWorkloads } from '../budget/helm-values';
import { coalesce, isPlainMap } from '../model/charts/values';
import { valuesDocumentation } from '../schema/values';
import { workloadBudget, WORKLOAD_KINDS } from '../budget/pod';
import { estimateOperatorWorkload, operatorConvention } from '../budget/operators';
import type { ClaimBudget, WorkloadBudget } from '../budget/types';
import type { RepoModel } from './model';
import { sameInputs, type QueryReads } from './query';
import { dirname } from './paths';
import type { Cluster, Component, Range } from './types';
import { clusterObjects, deltaOf, type BuiltObject, type ClusterObjects } from './applied';
import { SYSTEM_NAMESPACES } from './platform';


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
  /** Each HelmRelease's chart defaults the estimate read (by position among the HelmReleases). */
  chartDefaults: readonly (Record<string, unknown> | undefined)[];
}

/** A HelmRelease's resolved chart's values.yaml defaults, when its chart is resolved. */
export type ChartDefaults = (release: BuiltObject) => Record<string, unknown> | undefined;

/** The chart defaults of a model's HelmReleases (the same object while values.yaml is the same). */
export function chartDefaultsOf(model: RepoModel): ChartDefaults {
  return (o) => {
    const chart = model.charts.get(o.resource);
    if (chart?.resolution.status !== 'resolved' || chart.resolution.chart.valuesYaml === undefined) return undefined;
    const defaults = valuesDocumentation(chart.resolution.chart.valuesYaml)?.value;
    return isPlainMap(defaults) ? defaults : undefined;
  };
}

/** The budget still stands: the same objects, and every HelmRelease's chart defaults the same. */
function budgetStands(before: NamespaceBudget | undefined, list: readonly BuiltObject[], defaults: ChartDefaults): before is NamespaceBudget {
  if (!before || before.objects !== list) return false;
  let i = 0;
  for (const o of list) if (o.kind === 'HelmRelease' && defaults(o) !== before.chartDefaults[i++]) return false;
  return true;
}

/** The namespace an object counts in: a Namespace its own, a HelmRelease its pods' ('' for none). */
function groupOf(o: BuiltObject): string {
  return o.kind === 'HelmRelease' ? helmTargetNamespace(o) : o.kind === 'Namespace' ? o.name : o.namespace;
}

/** A name that can hold a budget: not empty, no unresolved Flux variable. */
const isBudgetNamespace = (namespace: string) => namespace !== '' && !namespace.includes('${');

export interface ClusterGroups {
  cluster: Cluster;
  /** Every object of the cluster by the namespace it counts in ('' for cluster-wide objects and those without one). */
  groups: Map<string, BuiltObject[]>;
}

interface BudgetState {
  input: ClusterObjects[];
  clusters: Array<{ groups: ClusterGroups; budgets: Map<string, NamespaceBudget> }>;
  result: NamespaceBudget[];
  groups: ClusterGroups[];
}

/**
 * Every cluster's objects by namespace. A group keeps its identity (the same array) while its
 * objects do, so rules can reuse what they concluded of it.
 */
export function objectGroups(model: RepoModel): ClusterGroups[] {
  return budgetState(model).groups;
}

/** Every (cluster, namespace) pair that holds an object, LimitRange defaults applied. */
export function namespaceBudgets(model: RepoModel): NamespaceBudget[] {
  return budgetState(model).result;
}

/**
 * The groups and budgets of every cluster: a query on the clusters' objects. A cluster whose
 * objects were patched in place (a content edit: `deltaOf`) has only the groups of the replaced
 * objects made anew; one built again (a rebuilt graph) is grouped anew, every group and budget
 * whose objects are the same kept (the same array, the same budget).
 */
function budgetState(model: RepoModel): BudgetState {
  const input = clusterObjects(model);
  return model.queries.get<BudgetState>('namespace budgets', 'all', [input], (_, previous) => {
    const defaults = chartDefaultsOf(model);
    let regrouped = !previous || previous.input.length !== input.length;
    const successors = new Map<NamespaceBudget, NamespaceBudget>();
    const clusters = input.map((c, i) => {
      const before = previous?.input[i] === c ? previous.clusters[i] : undefined;
      if (before) return before;
      const delta = deltaOf(c);
      const was = previous && delta && previous.input[i] === delta.previous ? previous.clusters[i] : undefined;
      const patched = was && patchCluster(c, was, delta!.replaced, successors, defaults);
      if (patched) return patched;
      const same = previous?.clusters[i]?.groups.cluster.name === c.cluster.name ? previous.clusters[i] : undefined;
      const grouped = groupCluster(c, same ?? previous?.clusters.find((p) => p.groups.cluster.name === c.cluster.name), defaults);
      // Grouped anew into the same namespaces: each budget stays in its place, replaced or not.
      if (same && sameKeys(same.budgets, grouped.budgets)) {
        for (const [namespace, budget] of grouped.budgets) {
          const before = same.budgets.get(namespace)!;
          if (before !== budget) successors.set(before, budget);
        }
        return grouped;
      }
      regrouped = true;
      return grouped;
    });
    // The same namespaces: each budget stays or is replaced by its successor, in the same order.
    const result = regrouped ? clusters.flatMap((c) => [...c.budgets.values()]) : successors.size === 0 ? previous!.result : previous!.result.map((b) => successors.get(b) ?? b);
    return { input, clusters, result, groups: clusters.map((c) => c.groups) };
  });
}

function groupCluster({ cluster, objects }: ClusterObjects, previous: BudgetState['clusters'][number] | undefined, defaults: ChartDefaults): BudgetState['clusters'][number] {
  const groups = new Map<string, BuiltObject[]>();
  for (const o of objects) {
    const namespace = groupOf(o);
    const list = groups.get(namespace);
    if (list) list.push(o);
    else groups.set(namespace, [o]);
  }
  // The same objects as last time (unchanged Kustomization builds): the same list, the same budget.
  for (const [namespace, list] of groups) {
    const before = previous?.groups.groups.get(namespace);
    if (before && sameInputs(before, list)) groups.set(namespace, before);
  }
  const budgets = new Map<string, NamespaceBudget>();
  for (const [namespace, list] of [...groups].filter(([n]) => isBudgetNamespace(n)).sort((a, b) => a[0].localeCompare(b[0]))) {
    const before = previous?.budgets.get(namespace);
    budgets.set(namespace, budgetStands(before, list, defaults) ? before : budgetOf(cluster.name, namespace, list, defaults));
  }
  return { groups: { cluster, groups }, budgets };
}

/**
 * The previous grouping with each replaced object swapped for its successor (in place: the
 * previous state is not used again); undefined, and nothing changed, when one moved namespace.
 */
function patchCluster(c: ClusterObjects, was: BudgetState['clusters'][number], replaced: ReadonlyArray<[BuiltObject, BuiltObject]>, successors: Map<NamespaceBudget, NamespaceBudget>, defaults: ChartDefaults): BudgetState['clusters'][number] | undefined {
  const { groups } = was.groups;
  const places: Array<[BuiltObject[], number, BuiltObject]> = [];
  for (const [before, after] of replaced) {
    const namespace = groupOf(before);
    const list = groups.get(namespace);
    const at = list ? list.indexOf(before) : -1;
    if (groupOf(after) !== namespace || at < 0) return undefined;
    places.push([list!, at, after]);
  }
  const touched = new Set<string>();
  for (const [list, at, after] of places) {
    // A new array for a touched group, so that whatever was concluded of the old one is not reused.
    const namespace = groupOf(after);
    let current = groups.get(namespace)!;
    if (!touched.has(namespace)) groups.set(namespace, (current = [...list]));
    touched.add(namespace);
    current[at] = after;
  }
  for (const namespace of touched) {
    if (!isBudgetNamespace(namespace)) continue;
    const before = was.budgets.get(namespace)!;
    const after = budgetOf(c.cluster.name, namespace, groups.get(namespace)!, defaults);
    was.budgets.set(namespace, after);
    successors.set(before, after);
  }
  return { groups: { cluster: c.cluster, groups }, budgets: was.budgets };
}

function budgetOf(cluster: string, namespace: string, list: BuiltObject[], defaults: ChartDefaults): NamespaceBudget {
  const limitRanges = list.filter((o) => o.kind === 'LimitRange');
  const { workloads, unseenCharts, claims } = workloadsOf(list, limitRanges.map((o) => o.object), defaults);
  return {
    cluster,
    namespace,
    objects: list,
    workloads,
    unseenCharts,
    quotas: list.filter((o) => o.kind === 'ResourceQuota' && o.resource.apiVersion === 'v1'),
    limitRanges,
    claims,
    chartDefaults: list.filter((o) => o.kind === 'HelmRelease').map(defaults),
  };
}

/** The same keys in the same order. */
function sameKeys(a: ReadonlyMap<string, unknown>, b: ReadonlyMap<string, unknown>): boolean {
  if (a.size !== b.size) return false;
  const keys = b.keys();
  for (const key of a.keys()) if (key !== keys.next().value) return false;
  return true;
}

/** A HelmRelease's pods land in spec.targetNamespace, else the release's own namespace. */
export function helmTargetNamespace(o: BuiltObject): string {
  const target = o.object?.spec?.targetNamespace;
  return typeof target === 'string' && target ? target : o.namespace;
}

/** The namespace's workloads, with the given LimitRange objects applied as admission would. */
export function workloadsOf(objects: readonly BuiltObject[], limitRanges: readonly unknown[], defaults: ChartDefaults = () => undefined): { workloads: NamespaceWorkload[]; unseenCharts: BuiltObject[]; claims: ClaimBudget[] } {
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
      const chart = defaults(o);
      const spec = o.object?.spec;
      const chartValues = chart ? coalesce(isPlainMap(spec?.values) ? spec.values : {}, chart) : undefined;
      const estimated = estimateHelmReleaseWorkloads(o.object, { limitRanges, chartValues });
      if (estimated.length === 0) {
        unseenCharts.push(o);
        // A chart whose values show no workload runs at least one pod; with a LimitRange its
        // containers get the defaults, so that pod is what the quota admission counts.
        if (limitRanges.length > 0) workloads.push({ budget: chartDefaultPod(o.name, limitRanges), source: o });
      }
      for (const budget of estimated) workloads.push({ budget, source: o });
      claims.push(...estimateHelmReleaseClaims(o.object));
    } else if (operatorConvention(o.resource.apiVersion, o.kind)) {
      const budget = estimateOperatorWorkload(o.object, { limitRanges });
      if (budget) workloads.push({ budget, source: o });
    } else if (o.kind === 'PersistentVolumeClaim') {
      const claim = claimBudget(o.object);
      if (claim) claims.push(claim);
    }
  }
  return { workloads, unseenCharts, claims };
}

/** One pod of a chart whose values show no workload, its containers given the LimitRange defaults. */
function chartDefaultPod(name: string, limitRanges: readonly unknown[]): WorkloadBudget {
  const budget = workloadBudget({ kind: 'Pod', metadata: { name }, spec: { containers: [{ name }] } }, { limitRanges })!;
  budget.estimatedFrom = 'chart default';
  budget.notes.push("estimated: the chart's values show no workload, so one pod with the LimitRange defaults");
  return budget;
}

/** Notes worth showing beside a workload's numbers, prefixed by its name. */
export function workloadNotes(workloads: readonly NamespaceWorkload[], names?: ReadonlySet<string>): string[] {
  const notes: string[] = [];
  for (const { budget } of workloads) {
    if (names && !names.has(budget.name)) continue;
    const own = [...(budget.estimatedFrom === 'chart values' ? ['estimated from chart values'] : []), ...budget.notes];
    if (own.length > 0) notes.push(`${budget.name}: ${own.join('; ')}`);
  }
  return notes;
}

/** The budgets of a namespace no cluster has objects in (one constant array, so memos hold). */
const NO_BUDGETS: readonly NamespaceBudget[] = Object.freeze([]) as readonly NamespaceBudget[];

/** The budgets of each namespace, across clusters; a namespace's list is the same array while its budgets are. */
export function budgetsByNamespace(model: RepoModel): Map<string, NamespaceBudget[]> {
  const budgets = budgetState(model).result;
  return model.queries.get<Map<string, NamespaceBudget[]>>('budgets by namespace', 'all', [budgets], (_, previous) => {
    const grouped = new Map<string, NamespaceBudget[]>();
    for (const b of budgets) {
      const list = grouped.get(b.namespace);
      if (list) list.push(b);
      else grouped.set(b.namespace, [b]);
    }
    for (const [namespace, list] of grouped) {
      const before = previous?.get(namespace);
      if (before && sameInputs(before, list)) grouped.set(namespace, before);
    }
    return grouped;
  });
}

/**
 * Namespaces components own, with their components (ordered by folder); system namespaces aside.
 * A namespace's list is the same array while its components are (the model keeps the components
 * of a graph derived again when they are equal).
 */
export function componentNamespaces(model: RepoModel): Map<string, Component[]> {
  const components = model.layers.components;
  return model.queries.get<Map<string, Component[]>>('component namespaces', 'all', [components], (_, previous) => {
    const result = new Map<string, Component[]>();
    for (const c of [...components].sort((a, b) => a.folder.localeCompare(b.folder))) {
      for (const ns of c.ownNamespaces) {
        if (SYSTEM_NAMESPACES.has(ns) || ns.includes('${')) continue;
        const list = result.get(ns);
        if (list) list.push(c);
        else result.set(ns, [c]);
      }
    }
    const sorted = new Map([...result].sort((a, b) => a[0].localeCompare(b[0])));
    for (const [namespace, list] of sorted) {
      const before = previous?.get(namespace);
      if (before && sameInputs(before, list)) sorted.set(namespace, before);
    }
    return sorted;
  });
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

/** The Namespace objects named `namespace` in the clusters of `budgets` (after kustomize renamed them). */
function namespaceObjects(model: RepoModel, budgets: readonly NamespaceBudget[], namespace: string): BuiltObject[] {
  const clusters = new Set(budgets.map((b) => b.cluster));
  // A Namespace object counts in the namespace it declares: it sits in that group.
  return objectGroups(model)
    .filter((c) => clusters.has(c.cluster.name))
    .flatMap((c) => (c.groups.get(namespace) ?? []).filter((o) => o.kind === 'Namespace' && o.resource.apiVersion === 'v1' && o.name === namespace));
}

/**
 * What a rule concludes of each group of objects (per cluster and namespace), joined: a family of
 * queries (`model.queries.keyed`), one per group. A group's values are computed again only when
 * its objects are not the same array (an edit replaced one of them), `inputs` changed, or a file
 * the values point into changed (`readsOfValues`: a finding's file, its related places, the files
 * its fixes edit and the folders they create files in); the joined array stays the same while no
 * group's values changed. So a content edit costs the groups it touched, and a rebuilt graph only
 * the groups whose objects or findings' files changed. `compute` may read of the cluster its name
 * only (the key), and of the model nothing but the objects' files and what it declares: anything
 * else it depends on is an input.
 */
export function groupValues<T>(
  model: RepoModel,
  table: string,
  inputs: readonly unknown[],
  compute: (objects: BuiltObject[], cluster: Cluster, namespace: string) => T[],
  equal: (before: readonly T[], after: readonly T[]) => boolean = sameInputs,
): T[] {
  const { groups } = budgetState(model);
  const clusters = new Map(groups.map((c) => [c.cluster.name, c.cluster]));
  function* items(): Iterable<readonly [string, readonly unknown[]]> {
    for (const { cluster, groups: byNamespace } of groups) for (const [namespace, objects] of byNamespace) yield [`${cluster.name}\0${namespace}`, [objects]];
  }
  return model.queries.keyed<T>(`groups ${table}`, inputs, items(), (key, [objects], read) => {
    const at = key.indexOf('\0');
    return readsOfValues(read, compute(objects as BuiltObject[], clusters.get(key.slice(0, at))!, key.slice(at + 1)));
  }, equal);
}

/** Like groupValues, per namespace budget (cluster and namespace with a budget). */
export function budgetValues<T>(
  model: RepoModel,
  table: string,
  inputs: readonly unknown[],
  compute: (budget: NamespaceBudget) => T[],
  equal: (before: readonly T[], after: readonly T[]) => boolean = sameInputs,
): T[] {
  const { clusters } = budgetState(model);
  function* items(): Iterable<readonly [string, readonly unknown[]]> {
    for (const { groups, budgets } of clusters) for (const [namespace, budget] of budgets) yield [`${groups.cluster.name}\0${namespace}`, [budget]];
  }
  return model.queries.keyed<T>(`budgets ${table}`, inputs, items(), (_, [budget], read) => readsOfValues(read, compute(budget as NamespaceBudget)), equal);
}

/**
 * Like groupValues, per component namespace across clusters (`compute` gets the namespace's
 * budgets in every cluster): a namespace is computed again when its components or its budgets in
 * any cluster are not the same, a file its findings point into changed, or a file was created or
 * deleted in one of its components' folders.
 */
export function namespaceValues<T>(
  model: RepoModel,
  table: string,
  inputs: readonly unknown[],
  compute: (namespace: string, components: Component[], budgets: readonly NamespaceBudget[]) => T[],
  equal: (before: readonly T[], after: readonly T[]) => boolean = sameInputs,
): T[] {
  const byNamespace = budgetsByNamespace(model);
  const owned = componentNamespaces(model);
  function* items(): Iterable<readonly [string, readonly unknown[]]> {
    for (const [namespace, components] of owned) yield [namespace, [components, byNamespace.get(namespace) ?? NO_BUDGETS]];
  }
  return model.queries.keyed<T>(`namespaces ${table}`, inputs, items(), (namespace, [components, budgets], read) => {
    // Where a finding goes (anchorOf) depends on whether a component's folder has a kustomization.
    for (const c of components as Component[]) read.listing(c.folder);
    return readsOfValues(read, compute(namespace, components as Component[], budgets as readonly NamespaceBudget[]));
  }, equal);
}

/**
 * Records as read the files values that are findings point into: the finding's file (its range
 * was read from it), its related places, the files its fixes edit, and the folders its fixes
 * create files in (the name chosen, and whether a kustomization lists it, depend on what is there).
 */
export function readsOfValues<T>(read: QueryReads, values: T[]): T[] {
  for (const value of values) {
    const f = (value as { finding?: unknown }).finding ?? value;
    if (!f || typeof f !== 'object' || typeof (f as { file?: unknown }).file !== 'string' || !('range' in f)) continue;
    const finding = f as unknown as RuleFindingShape;
    read.file(finding.file);
    for (const r of finding.related ?? []) read.file(r.file);
    for (const fix of finding.fixes ?? []) {
      for (const change of fix.changes) {
        read.file(change.file);
        if (change.kind === 'create') read.listing(dirname(change.file));
      }
    }
  }
  return values;
}

/** What readsOfValues reads of a finding (the model does not import rules/). */
interface RuleFindingShape {
  file: string;
  related?: ReadonlyArray<{ file: string }>;
  fixes?: ReadonlyArray<{ changes: ReadonlyArray<{ kind: string; file: string }> }>;
}

/** The same items (identity): the default comparison of values recomputed for a touched group. */
/**
 * Findings recomputed for a touched group that say the same as before (same ranges, messages,
 * fixes): the old ones are kept, so the joined array, and the engine's work on it, stay as they were.
 */
export function sameFindings<T>(before: readonly T[], after: readonly T[]): boolean {
  if (before.length !== after.length) return false;
  return before.length === 0 || JSON.stringify(before) === JSON.stringify(after);
}
