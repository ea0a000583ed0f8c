import { admissionGaps, admissionRefusal, readResourceQuota, type AdmissionGap } from '../budget/quota';
import { basename, dirname } from '../model/paths';
import { createManifest } from './edits';
import type { RepoModel } from '../model/model';
import type { BuiltObject } from '../model/applied';
import { budgetValues, readsOfValues, type NamespaceBudget } from '../model/namespaceBudgets';
import { DEFAULT_CONTAINER_RESOURCES } from './resources-missing';
import type { Rule, RuleFinding } from './types';

/** A cpu limit for LimitRanges that must default one (quotas on limits.cpu); requests stay the shared defaults. */
const DEFAULT_CPU_LIMIT = '500m';

export const quotaNoLimitrange: Rule = {
  id: 'quota/no-limitrange',
  defaultSeverity: 'error',
  description: 'A ResourceQuota on cpu or memory in a namespace where some container sets no request or limit for it and no LimitRange gives a default: its pods are refused.',
  help:
    'Once a ResourceQuota tracks cpu or memory, the API server refuses every pod with a container that does not specify that request or limit ("must specify requests.cpu for: app"). A LimitRange with defaults fills them in at admission. HelmRelease containers are read from chart values.',
  fix: 'Create a LimitRange with container defaults beside the quota and add it to kustomization.yaml.',
  check(model) {
    // Each budget's gaps are kept while it is the same object; findings are made again when a gap or a file they point into changed.
    const gaps = budgetValues(model, 'quota/no-limitrange', [], quotaGaps);
    return model.queries.get('quota/no-limitrange findings', gaps, [], (read) => readsOfValues(read, findingsOf(model, gaps)));
  },
};

interface QuotaGaps {
  budget: NamespaceBudget;
  quota: BuiltObject;
  spec: NonNullable<ReturnType<typeof readResourceQuota>>;
  gaps: AdmissionGap[];
}

function quotaGaps(budget: NamespaceBudget): QuotaGaps[] {
  const found: QuotaGaps[] = [];
  for (const quota of budget.quotas) {
    const spec = readResourceQuota(quota.object);
    if (!spec) continue;
    const gaps = admissionGaps(spec, budget.workloads.map((w) => w.budget));
    if (gaps.length > 0) found.push({ budget, quota, spec, gaps });
  }
  return found;
}

function findingsOf(model: RepoModel, all: readonly QuotaGaps[]): RuleFinding[] {
  const findings: RuleFinding[] = [];
  const byQuota = new Map<string, { finding: RuleFinding; clusters: string[]; describe: (clusters: string[]) => string }>();
  for (const { budget, quota, spec, gaps } of all) {
    const key = `${quota.resource.file}#${quota.resource.index}`;
    const seen = byQuota.get(key);
    if (seen) {
      seen.clusters.push(budget.cluster);
      continue;
    }
    const byWorkload = new Map<string, AdmissionGap[]>();
    for (const gap of gaps) byWorkload.set(gap.workload, [...(byWorkload.get(gap.workload) ?? []), gap]);
    const refusals = [...byWorkload].map(([workload, list]) => {
      const kind = budget.workloads.find((w) => w.budget.name === workload)?.budget.kind ?? '';
      const from = budget.workloads.find((w) => w.budget.name === workload)?.budget.estimatedFrom;
      const estimated = from === 'chart values' ? ', estimated from chart values' : from === 'operator' ? ', estimated from its custom resource' : '';
      return `${kind} ${workload} (${admissionRefusal(list)}${estimated})`;
    });
    const missing = new Set(gaps.flatMap((g) => g.missing));
    const folder = dirname(quota.resource.file);
    const created = createManifest(model, folder, 'limitrange.yaml', limitRangeText(budget.namespace, missing));
    const finding: RuleFinding = {
      file: quota.resource.file,
      range: model.rangeOf(quota.resource, ['metadata', 'name']),
      message: '',
      related: gaps.slice(0, 5).flatMap((gap) => {
        const source = budget.workloads.find((w) => w.budget.name === gap.workload)?.source;
        return source ? [{ file: source.resource.file, range: model.rangeOf(source.resource, gap.container.path), message: `container ${gap.container.name} of ${gap.workload}` }] : [];
      }),
      fixes: created ? [{ title: `Create ${basename(created.file)} with container defaults for ${budget.namespace}`, changes: created.changes, safe: true, preferred: true }] : undefined,
    };
    // The message is written once every cluster with the same gap is known.
    const describe = (clusters: string[]) =>
      `ResourceQuota ${spec.name} tracks ${[...missing].sort().join(', ')} in namespace ${budget.namespace} (${clusters.join(', ')}), ` +
      `but ${budget.limitRanges.length > 0 ? 'its LimitRange gives no default for them' : 'no LimitRange gives defaults'}: Kubernetes refuses the pods of ${refusals.join('; ')}.`;
    byQuota.set(key, { finding, clusters: [budget.cluster], describe });
    findings.push(finding);
  }
  for (const entry of byQuota.values()) entry.finding.message = entry.describe(entry.clusters);
  return findings;
}

/** A LimitRange that defaults what the quota requires: requests always, limits only when tracked. */
export function limitRangeText(namespace: string, required: ReadonlySet<string>): string {
  const lines = [
    'apiVersion: v1',
    'kind: LimitRange',
    'metadata:',
    '  name: container-defaults',
    `  namespace: ${namespace}`,
    'spec:',
    '  limits:',
    '    - type: Container',
    '      defaultRequest:',
    `        cpu: ${DEFAULT_CONTAINER_RESOURCES.requests.cpu}`,
    `        memory: ${DEFAULT_CONTAINER_RESOURCES.requests.memory}`,
  ];
  const limits: string[] = [];
  if (required.has('limits.cpu')) limits.push(`        cpu: ${DEFAULT_CPU_LIMIT}`);
  if (required.has('limits.memory')) limits.push(`        memory: ${DEFAULT_CONTAINER_RESOURCES.limits.memory}`);
  if (limits.length > 0) lines.push('      default:', ...limits);
  return lines.join('\n') + '\n';
}
