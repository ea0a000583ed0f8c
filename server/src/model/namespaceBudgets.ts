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
  /** The previous result and each budget's successor, when this one was patched from it. */
  from?: { result: NamespaceBudget[]; successors: Map<NamespaceBudget, NamespaceBudget> };
}
const budgetStates = new WeakMap<RepoModel, BudgetState>();

/**
 * The groups patched since the model's objects were last grouped from scratch (`token` changes
 * then): what lets the functions below recompute only the touched groups.
 */
interface Tracker {
  token: object;
  graph: object;
  log: Array<[cluster: number, namespace: string]>;
}
const trackers = new WeakMap<RepoModel, Tracker>();
/** Past this many patched groups, everything is recomputed once (and the log starts again). */
const TRACKER_LIMIT = 10_000;

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

function budgetState(model: RepoModel): BudgetState {
  const input = clusterObjects(model);
  const previous = budgetStates.get(model);
  const defaults = chartDefaultsOf(model);
  if (previous?.input === input) return previous;
  // Each cluster the same as before, patched where an edit replaced objects, or grouped anew.
  let regrouped = !previous || previous.input.length !== input.length;
  const successors = new Map<NamespaceBudget, NamespaceBudget>();
  const touched: Array<[cluster: number, namespace: string]> = [];
  const clusters = input.map((c, i) => {
    const before = previous?.input[i] === c ? previous.clusters[i] : undefined;
    if (before) return before;
    const delta = deltaOf(c);
    const was = previous && delta && previous.input[i] === delta.previous ? previous.clusters[i] : undefined;
    const patched = was && patchCluster(c, was, delta!.replaced, successors, (namespace) => touched.push([i, namespace]), defaults);
    if (patched) return patched;
    const same = previous?.clusters[i]?.groups.cluster.name === c.cluster.name ? previous.clusters[i] : undefined;
    const grouped = groupCluster(c, same ?? previous?.clusters.find((p) => p.groups.cluster.name === c.cluster.name), defaults);
    // Grouped anew (a rebuilt graph) into the same namespaces: only the groups whose objects changed count as touched.
    if (same && sameKeys(same.groups.groups, grouped.groups.groups)) {
      for (const [namespace, list] of grouped.groups.groups) if (same.groups.groups.get(namespace) !== list) touched.push([i, namespace]);
      for (const [namespace, budget] of grouped.budgets) {
        const before = same.budgets.get(namespace)!;
        if (before !== budget) successors.set(before, budget);
      }
      return grouped;
    }
    regrouped = true;
    return grouped;
  });
  let result: NamespaceBudget[];
  if (!regrouped) {
    // The same namespaces: each budget stays or is replaced by its successor, in the same order.
    result = successors.size === 0 ? previous!.result : previous!.result.map((b) => successors.get(b) ?? b);
  } else {
    result = clusters.flatMap((c) => [...c.budgets.values()]);
  }
  const state: BudgetState = { input, clusters, result, groups: clusters.map((c) => c.groups), from: regrouped ? undefined : { result: previous!.result, successors } };
  const tracker = trackers.get(model);
  // A rebuilt graph may move what findings point into (a kustomization.yaml a fix appends to)
  // without touching any group: what rules concluded of the groups is then all redone.
  const graph = model.graph;
  if (regrouped || !tracker || tracker.graph !== graph || tracker.log.length + touched.length > TRACKER_LIMIT) trackers.set(model, { token: {}, log: [], graph });
  else tracker.log.push(...touched);
  budgetStates.set(model, state);
  return state;
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
    if (before && sameList(before, list)) groups.set(namespace, before);
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
function patchCluster(c: ClusterObjects, was: BudgetState['clusters'][number], replaced: ReadonlyArray<[BuiltObject, BuiltObject]>, successors: Map<NamespaceBudget, NamespaceBudget>, touch: (namespace: string) => void, defaults: ChartDefaults): BudgetState['clusters'][number] | undefined {
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
    touch(namespace);
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

function sameList<T>(a: readonly T[], b: readonly T[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
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

const byNamespaceCache = new WeakMap<RepoModel, { budgets: NamespaceBudget[]; grouped: Map<string, NamespaceBudget[]> }>();

/** The budgets of each namespace, across clusters; a namespace's list is the same array while its budgets are. */
export function budgetsByNamespace(model: RepoModel): Map<string, NamespaceBudget[]> {
  const state = budgetState(model);
  const budgets = state.result;
  const cached = byNamespaceCache.get(model);
  if (cached?.budgets === budgets) return cached.grouped;
  if (cached && state.from?.result === cached.budgets) {
    // Patched: only the namespaces of replaced budgets get new lists (in the same Map).
    const grouped = cached.grouped;
    for (const [before, after] of state.from.successors) {
      const list = grouped.get(before.namespace);
      if (list) grouped.set(before.namespace, list.map((b) => (b === before ? after : b)));
    }
    byNamespaceCache.set(model, { budgets, grouped });
    // Used once: kept, it would hold the replaced budgets (and the text they were read from).
    state.from = undefined;
    return grouped;
  }
  const grouped = new Map<string, NamespaceBudget[]>();
  for (const b of budgets) {
    const list = grouped.get(b.namespace);
    if (list) list.push(b);
    else grouped.set(b.namespace, [b]);
  }
  if (cached) {
    for (const [namespace, list] of grouped) {
      const before = cached.grouped.get(namespace);
      if (before && sameList(before, list)) grouped.set(namespace, before);
    }
  }
  byNamespaceCache.set(model, { budgets, grouped });
  return grouped;
}

/** Namespaces components own, with their components (ordered by folder); system namespaces aside. */
export function componentNamespaces(model: RepoModel): Map<string, Component[]> {
  const layers = model.layers;
  let cached = componentNamespaceCache.get(layers);
  if (!cached) componentNamespaceCache.set(layers, (cached = computeComponentNamespaces(model)));
  return cached;
}
const componentNamespaceCache = new WeakMap<object, Map<string, Component[]>>();

function computeComponentNamespaces(model: RepoModel): Map<string, Component[]> {
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

/** The Namespace objects named `namespace` in the clusters of `budgets` (after kustomize renamed them). */
function namespaceObjects(model: RepoModel, budgets: readonly NamespaceBudget[], namespace: string): BuiltObject[] {
  const clusters = new Set(budgets.map((b) => b.cluster));
  // A Namespace object counts in the namespace it declares: it sits in that group.
  return objectGroups(model)
    .filter((c) => clusters.has(c.cluster.name))
    .flatMap((c) => (c.groups.get(namespace) ?? []).filter((o) => o.kind === 'Namespace' && o.resource.apiVersion === 'v1' && o.name === namespace));
}

interface ValueTable {
  token: object;
  seen: number;
  inputs: readonly unknown[];
  values: Array<Map<string, unknown[]>>;
  all: unknown[];
}
const valueTables = new WeakMap<RepoModel, Map<string, ValueTable>>();

/**
 * What a rule concludes of each group of objects (per cluster and namespace), joined. After an
 * edit only the groups it touched are computed again, and the joined array stays the same while
 * no group's values changed: cost in proportion to the edit, not to the repository.
 * `inputs` are what else the values depend on; when one is not the same object, all are redone.
 */
export function groupValues<T>(
  model: RepoModel,
  table: string,
  inputs: readonly unknown[],
  compute: (objects: BuiltObject[], cluster: Cluster, namespace: string) => T[],
  equal: (before: readonly T[], after: readonly T[]) => boolean = sameItems,
): T[] {
  const state = budgetState(model);
  return tracked(model, `groups ${table}`, inputs, state.groups.map((c) => c.groups), (cluster, namespace) => [cluster, namespace], (objects, i, namespace) => compute(objects, state.groups[i].cluster, namespace), equal);
}

/** Like groupValues, per namespace budget (cluster and namespace with a budget). */
export function budgetValues<T>(
  model: RepoModel,
  table: string,
  inputs: readonly unknown[],
  compute: (budget: NamespaceBudget) => T[],
  equal: (before: readonly T[], after: readonly T[]) => boolean = sameItems,
): T[] {
  const state = budgetState(model);
  return tracked(model, `budgets ${table}`, inputs, state.clusters.map((c) => c.budgets), (cluster, namespace) => [cluster, namespace], (budget) => compute(budget), equal);
}

/**
 * Like groupValues, per component namespace across clusters (`compute` gets the namespace's
 * budgets in every cluster): the namespaces an edit touched in any cluster are computed again.
 */
export function namespaceValues<T>(
  model: RepoModel,
  table: string,
  inputs: readonly unknown[],
  compute: (namespace: string, components: Component[], budgets: readonly NamespaceBudget[]) => T[],
  equal: (before: readonly T[], after: readonly T[]) => boolean = sameItems,
): T[] {
  const byNamespace = budgetsByNamespace(model);
  const owned = componentNamespaces(model);
  return tracked(model, `namespaces ${table}`, [owned, ...inputs], [owned], (_, namespace) => [0, namespace], (components, _, namespace) => compute(namespace, components, byNamespace.get(namespace) ?? NO_BUDGETS), equal);
}

/**
 * The table behind the three above: values per key in each partition (a cluster's groups or
 * budgets, or the component namespaces), recomputed for the keys the tracker logged since the
 * table last looked (`touched` maps a logged cluster and namespace to a partition and key).
 */
function tracked<T, I>(
  model: RepoModel,
  table: string,
  inputs: readonly unknown[],
  partitions: ReadonlyArray<ReadonlyMap<string, I>>,
  touched: (cluster: number, namespace: string) => [partition: number, key: string],
  compute: (item: I, partition: number, key: string) => T[],
  equal: (before: readonly T[], after: readonly T[]) => boolean,
): T[] {
  budgetState(model);
  const tracker = trackers.get(model)!;
  let tables = valueTables.get(model);
  if (!tables) valueTables.set(model, (tables = new Map()));
  const t = tables.get(table);
  if (t && t.token === tracker.token && t.inputs.length === inputs.length && t.inputs.every((x, i) => x === inputs[i])) {
    if (t.seen === tracker.log.length) return t.all as T[];
    let changed = false;
    const done = new Set<string>();
    for (let k = t.seen; k < tracker.log.length; k++) {
      const [partition, key] = touched(...tracker.log[k]);
      if (done.has(`${partition}/${key}`)) continue;
      done.add(`${partition}/${key}`);
      const item = partitions[partition].get(key);
      const before = t.values[partition].get(key);
      if (before === undefined && item === undefined) continue;
      const after = item === undefined ? [] : compute(item, partition, key);
      if (equal((before ?? []) as T[], after)) continue;
      changed = true;
      t.values[partition].set(key, after);
    }
    t.seen = tracker.log.length;
    if (changed) t.all = t.values.flatMap((m) => [...m.values()].flat());
    return t.all as T[];
  }
  const values = partitions.map((items, partition) => {
    const byKey = new Map<string, unknown[]>();
    for (const [key, item] of items) byKey.set(key, compute(item, partition, key));
    return byKey;
  });
  const fresh: ValueTable = { token: tracker.token, seen: tracker.log.length, inputs, values, all: values.flatMap((m) => [...m.values()].flat()) };
  tables.set(table, fresh);
  return fresh.all as T[];
}

/** The same items (identity): the default comparison of values recomputed for a touched group. */
function sameItems<T>(before: readonly T[], after: readonly T[]): boolean {
  return before.length === after.length && before.every((x, i) => x === after[i]);
}

/**
 * Findings recomputed for a touched group that say the same as before (same ranges, messages,
 * fixes): the old ones are kept, so the joined array, and the engine's work on it, stay as they were.
 */
export function sameFindings<T>(before: readonly T[], after: readonly T[]): boolean {
  if (before.length !== after.length) return false;
  return before.length === 0 || JSON.stringify(before) === JSON.stringify(after);
}
