import { quotaUsage, readResourceQuota } from '../budget/quota';
import { budgetValues, workloadNotes, type NamespaceBudget, sameFindings } from '../model/namespaceBudgets';
import type { Rule, RuleFinding } from './types';

export const quotaOverBudget: Rule = {
  id: 'quota/over-budget',
  defaultSeverity: 'error',
  description: "A namespace whose workloads need more than its ResourceQuota's hard values, per cluster after kustomize and Flux patches.",
  help:
    'The quota admission refuses every pod that would take a namespace past a hard value, so the replicas beyond it never start. Usage is replicas (an HPA counts at maxReplicas, a DaemonSet as one pod) times each pod\'s effective requests or limits, computed on what each cluster applies: kustomize overlays (`replicas:`, strategic-merge and JSON 6902 patches) and Flux `spec.patches` included. HelmRelease workloads are estimated from chart values. A namespace exactly at its budget is fine.',
  fix: '—',
  check(model) {
    // Each budget's findings are kept while it is the same object (its namespace's objects unchanged).
    return budgetValues(model, 'quota/over-budget', [], (budget) => overBudget(model, budget), sameFindings);
  },
};

/** One namespace of one cluster: each hard value its workloads exceed. */
function overBudget(model: Parameters<Rule['check']>[0], budget: NamespaceBudget): RuleFinding[] {
  const findings: RuleFinding[] = [];
  const workloads = budget.workloads.map((w) => w.budget);
  for (const quota of budget.quotas) {
    const spec = readResourceQuota(quota.object);
    if (!spec) continue;
    const usage = quotaUsage(spec, workloads, { claims: budget.claims });
    for (const resource of usage.resources) {
      if (!resource.exceeded) continue;
      const names = new Set(resource.contributions.map((c) => c.workload));
      const notes = workloadNotes(budget.workloads, names);
      const contributors = budget.workloads.filter((w) => names.has(w.budget.name));
      findings.push({
        file: quota.resource.file,
        range: model.rangeOf(quota.resource, ['spec', 'hard', resource.resource]),
        message:
          `${budget.cluster}: ${resource.explanation}; ResourceQuota ${spec.name} refuses the pods beyond it in namespace ${budget.namespace}.` +
          (notes.length > 0 ? ` (${notes.join('. ')})` : ''),
        related: contributors.slice(0, 5).map((w) => ({
          file: w.source.resource.file,
          range: model.rangeOf(w.source.resource, ['metadata', 'name']),
          message: `${w.budget.kind} ${w.budget.name}${w.source.patched ? ' (patched for this cluster)' : ''}`,
        })),
      });
    }
  }
  return findings;
}

