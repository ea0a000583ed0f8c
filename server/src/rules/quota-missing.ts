import { formatQuantity } from '../budget/quantity-format';
import { compare, type Quantity } from '../budget/quantity';
import { proposeQuotaHard } from '../budget/quota-proposal';
import { workloadBudget } from '../budget/pod';
import type { WorkloadBudget } from '../budget/types';
import { mayRunPods } from '../budget/operators';
import type { RepoModel } from '../model/model';
import { parse as parseYaml } from 'yaml';
import type { BuiltObject } from '../model/applied';
import { createManifest } from './edits';
import { anchorOf, chartDefaultsOf, namespaceValues, workloadsOf, type NamespaceBudget, sameFindings } from '../model/namespaceBudgets';
import { limitRangeText } from './quota-no-limitrange';
import { DEFAULT_CONTAINER_RESOURCES } from './resources-missing';
import type { FileChange, Rule, RuleFinding } from './types';
import { basename } from '../model/paths';

export const quotaMissing: Rule = {
  id: 'quota/missing',
  defaultSeverity: 'information',
  description: 'A component namespace without a ResourceQuota.',
  help:
    'The policy: every component namespace has a ResourceQuota as its budget, so one component cannot starve the others. A repository that has not adopted it yet gets one finding per namespace, as information; raise `quota/missing` to error in `.gitops-guardrails.yaml` once it has. kube-system, kube-public, kube-node-lease and flux-system are left alone.',
  fix: "Create resourcequota.yaml sized from the namespace's workloads (the largest need of any cluster, with 20% headroom and rollout surge), with a LimitRange of default requests when the namespace has none, and add them to kustomization.yaml.",
  check(model) {
    // Each namespace's finding is kept while its budgets (its objects in every cluster), its components and the files it points into are unchanged.
    return namespaceValues(model, 'quota/missing', [], (namespace, components, inClusters): RuleFinding[] => {
      const without = inClusters.filter((b) => b.quotas.length === 0);
      if (without.length === 0) return [];
      const anchor = anchorOf(model, namespace, components, without);
      if (!anchor) return [];
      // Where another cluster has a quota, a file shared by both clusters would give it a second one.
      const partial = without.length < inClusters.length;
      const fix = partial ? undefined : quotaFix(model, namespace, anchor.folder, without);
      const where = partial ? ` in ${without.map((b) => b.cluster).join(', ')} (${inClusters.filter((b) => b.quotas.length > 0).map((b) => b.cluster).join(', ')} has one)` : '';
      return [
        {
          file: anchor.file,
          range: anchor.range,
          message: `Namespace ${namespace} has no ResourceQuota${where}: nothing bounds what its workloads may request (the policy: a ResourceQuota as every component namespace's budget).`,
          fixes: fix ? [fix] : undefined,
        },
      ];
    }, sameFindings);
  },
};

/**
 * The quota (and, where the namespace has none, a LimitRange giving containers default requests)
 * that the quick fix creates. Only pods and requests are proposed: a quota on limits refuses every container without
 * one, and charts have containers their values do not show. The fix is safe for `check --fix`
 * only when every pod of the namespace is visible here.
 */
function quotaFix(model: RepoModel, namespace: string, folder: string, budgets: readonly NamespaceBudget[]) {
  let needsLimitRange = false;
  const hard = new Map<string, Quantity>();
  const sources: string[] = [];
  // What the sizing estimated (and how), and what it could not count: written into the file.
  const estimated = new Map<string, string>();
  const unseen = new Set<string>();
  for (const budget of budgets) {
    let { workloads } = budget;
    // A quota on requests refuses any later container without them: give the namespace defaults.
    // Sized with them, as the quota admission will count the pods once the LimitRange is there.
    if (budget.limitRanges.length === 0) {
      needsLimitRange = true;
      const limitRange = parseYaml(limitRangeText(namespace, new Set()));
      workloads = workloadsOf(budget.objects, [limitRange], chartDefaultsOf(model)).workloads;
    }
    for (const w of workloads) {
      const how = estimateNote(w.budget);
      if (how) estimated.set(`${w.source.kind} ${w.source.name}`, how);
    }
    for (const o of budget.objects) if (mayRunPods(o.apiVersion, o.kind, o.object) && !workloads.some((w) => w.source === o)) unseen.add(`${o.kind} ${o.name}`);
    const all: WorkloadBudget[] = workloads.map((w) => w.budget);
    if (all.length === 0) all.push(defaultPod('allowance'));
    for (const [name, q] of proposeQuotaHard(all)) {
      if (name.startsWith('limits.')) continue;
      const current = hard.get(name);
      if (!current || compare(q, current) > 0) hard.set(name, q);
    }
    sources.push(`${budget.cluster}: ${all.map((w) => w.name).join(', ')}`);
  }
  if (hard.size === 0) return undefined;
  const order = ['pods', 'requests.cpu', 'requests.memory'];
  const review = [...unseen].sort();
  const lines = [
    `# Sized by gitops-guardrails from the workloads of namespace ${namespace} (${sources.join('; ')}),`,
    '# with 20% headroom and rollout surge.',
    ...(estimated.size > 0 ? ['# Estimated, review before applying:', ...[...estimated].sort().map(([what, how]) => `#   ${what}: ${how}`)] : []),
    ...(review.length > 0 ? [`# Not counted (their pods are not visible here): ${review.join(', ')}.`] : []),
    'apiVersion: v1',
    'kind: ResourceQuota',
    'metadata:',
    '  name: namespace-budget',
    `  namespace: ${namespace}`,
    'spec:',
    '  hard:',
    ...[...hard].sort((a, b) => order.indexOf(a[0]) - order.indexOf(b[0])).map(([name, q]) => `    ${name}: "${formatQuantity(q, name)}"`),
  ];
  const changes: FileChange[] = [];
  const quota = createManifest(model, folder, 'resourcequota.yaml', lines.join('\n') + '\n');
  if (!quota) return undefined;
  changes.push(...quota.changes);
  const names = [basename(quota.file)];
  if (needsLimitRange) {
    const limitRange = createManifest(model, folder, 'limitrange.yaml', limitRangeText(namespace, new Set()));
    if (!limitRange) return undefined;
    changes.push(...limitRange.changes);
    names.push(basename(limitRange.file));
  }
  // Short: what is created and for whom; the file says how it was sized and what to review.
  const uncertain = estimated.size > 0 || review.length > 0;
  const title = fixTitle(`Create ${names.join(' + ')} for ${namespace}`, uncertain);
  return { title, changes: mergeEdits(changes), safe: !uncertain, preferred: true };
}

/** At most 80 characters: what is created and for which namespace, and whether to review it. */
function fixTitle(base: string, review: boolean): string {
  const MAX = 80;
  for (const suffix of review ? [' (review estimates)', ' (review)'] : ['']) if (base.length + suffix.length <= MAX) return base + suffix;
  const suffix = review ? ' (review)' : '';
  return base.slice(0, MAX - suffix.length - 1) + '…' + suffix;
}

/** How a workload's numbers were estimated, when they were not read from a manifest. */
function estimateNote(budget: WorkloadBudget): string | undefined {
  if (!budget.estimatedFrom) return undefined;
  const replicas = budget.replicas.known ? budget.replicas.count : budget.replicas.assumed;
  const perPod = [...budget.requests].filter(([name]) => name === 'cpu' || name === 'memory').map(([name, q]) => `${name} ${formatQuantity(q, name)}`).join(', ');
  const size = `${replicas} pod${replicas === 1 ? '' : 's'}${perPod ? ` of ${perPod}` : ' without requests'}`;
  if (budget.estimatedFrom === 'chart values') return `${size}, from the chart's values (controller ${budget.name})`;
  const how = budget.notes.find((n) => n.startsWith('estimated'))?.replace(/^estimated( from its \w+)?: /, '');
  return how ? `${size}; ${how}` : size;
}

/** Two entries appended to the same kustomization.yaml become one edit with both lines. */
function mergeEdits(changes: FileChange[]): FileChange[] {
  const result: FileChange[] = [];
  for (const change of changes) {
    const previous = result.find((c) => c.kind === 'edit' && change.kind === 'edit' && c.file === change.file);
    if (previous && previous.kind === 'edit' && change.kind === 'edit') {
      const [a] = previous.edits;
      const [b] = change.edits;
      if (a && b && a.range.start.line === b.range.start.line && a.range.start.character === b.range.start.character && a.range.end.line === b.range.end.line) {
        a.newText = joinAppends(a.newText, b.newText);
        continue;
      }
    }
    result.push(change);
  }
  return result;
}

/** Two `- entry` insertions at one place: the second's entry line goes after the first's. */
function joinAppends(first: string, second: string): string {
  const entry = second.split('\n').filter((l) => /^\s*- /.test(l)).pop();
  return entry ? first.replace(/\n?$/, '\n') + entry + '\n' : first;
}

function defaultPod(name: string): WorkloadBudget {
  const object = {
    kind: 'Pod',
    metadata: { name },
    spec: { containers: [{ name, resources: { requests: { ...DEFAULT_CONTAINER_RESOURCES.requests } } }] },
  };
  return workloadBudget(object)!;
}
