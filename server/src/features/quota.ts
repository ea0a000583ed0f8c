// Quota usage in the editor: a hover with each cluster's usage against the hard values, and a
// code lens above each ResourceQuota (`us-west: cpu 1.5/4 · memory 3Gi/8Gi · pods 6/20`).
import type { CodeLens } from 'vscode-languageserver';
import { formatApproximately, formatQuantity } from '../budget/quantity-format';
import { quotaUsage, readResourceQuota, type QuotaUsage } from '../budget/quota';
import type { RepoModel } from '../model/model';
import type { Resource } from '../model/types';
import { namespaceBudgets, workloadNotes, type NamespaceBudget } from '../model/namespaceBudgets';
import { contentStart } from './cursor';

interface QuotaInCluster {
  cluster: string;
  namespace: string;
  quota: Resource;
  name: string;
  usage: QuotaUsage;
  budget: NamespaceBudget;
}

/** Every (cluster, quota) evaluation whose quota document is `quota`, or that governs `resource`. */
function evaluations(model: RepoModel, matches: (quota: Resource, budget: NamespaceBudget) => boolean): QuotaInCluster[] {
  const result: QuotaInCluster[] = [];
  for (const budget of namespaceBudgets(model)) {
    for (const quota of budget.quotas) {
      if (!matches(quota.resource, budget)) continue;
      const spec = readResourceQuota(quota.object);
      if (!spec) continue;
      const usage = quotaUsage(spec, budget.workloads.map((w) => w.budget), { claims: budget.claims });
      result.push({ cluster: budget.cluster, namespace: budget.namespace, quota: quota.resource, name: spec.name, usage, budget });
    }
  }
  return result;
}

/**
 * Markdown for a ResourceQuota (its usage in each cluster that applies it) or for an object in a
 * namespace with a quota (that quota's usage); undefined when no quota is involved.
 */
export function quotaHover(model: RepoModel, resource: Resource): string | undefined {
  const same = (a: Resource, b: Resource) => a.file === b.file && a.index === b.index;
  const found =
    resource.kind === 'ResourceQuota'
      ? evaluations(model, (quota) => same(quota, resource))
      : evaluations(model, (_, budget) => budget.objects.some((o) => same(o.resource, resource)));
  if (found.length === 0) return undefined;
  const sections: string[] = [];
  for (const e of found) {
    const lines = [`**ResourceQuota ${e.name}** · namespace \`${e.namespace}\` · cluster \`${e.cluster}\``, '', '| resource | needed | hard |', '|---|---:|---:|'];
    for (const r of e.usage.resources) lines.push(`| ${r.resource} | ${formatApproximately(r.used, r.resource)}${r.exceeded ? ' ⚠' : ''} | ${formatQuantity(r.hard, r.resource)} |`);
    const exceeded = e.usage.resources.filter((r) => r.exceeded);
    if (exceeded.length > 0) lines.push('', ...exceeded.map((r) => `- over budget: ${r.explanation}`));
    if (e.usage.notEvaluated.length > 0) lines.push('', `Not counted from workloads: ${e.usage.notEvaluated.join(', ')}.`);
    const notes = workloadNotes(e.budget.workloads);
    if (notes.length > 0) lines.push('', ...notes.map((n) => `- ${n}`));
    if (e.budget.unseenCharts.length > 0) lines.push('', `Charts whose values show no resources (not counted): ${e.budget.unseenCharts.map((c) => c.name).join(', ')}.`);
    sections.push(lines.join('\n'));
  }
  return sections.join('\n\n---\n\n');
}

/** Short names for a lens: requests are what a quota is mostly about. */
function lensName(resource: string): string {
  return resource.replace(/^requests\.(cpu|memory)$/, '$1');
}

/** One lens per ResourceQuota and cluster that applies it: `us-west: cpu 1.5/4 · memory 3Gi/8Gi · pods 6/20`. */
export function quotaLenses(model: RepoModel, path: string): CodeLens[] {
  const file = model.file(path);
  if (!file) return [];
  const lenses: CodeLens[] = [];
  for (const e of evaluations(model, (quota) => quota.file === path)) {
    const order = (name: string) => ['cpu', 'memory', 'pods'].indexOf(lensName(name)) >>> 0;
    const parts = [...e.usage.resources]
      .sort((a, b) => order(a.resource) - order(b.resource))
      .map((r) => `${lensName(r.resource)} ${formatApproximately(r.used, r.resource)}/${formatQuantity(r.hard, r.resource)}${r.exceeded ? ' ⚠' : ''}`);
    if (parts.length === 0) continue;
    const start = contentStart(file, file.documents[e.quota.index]);
    lenses.push({ range: { start, end: start }, command: { title: `${e.cluster}: ${parts.join(' · ')}`, command: '' } });
  }
  return lenses;
}
