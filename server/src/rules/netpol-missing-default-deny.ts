import { clusterObjects, type BuiltObject } from './cluster-objects';
import { createManifest } from './edits';
import { anchorOf, budgetsByNamespace, componentNamespaces, memoized } from './namespace-budgets';
import type { Rule, RuleFinding } from './types';

export const netpolMissingDefaultDeny: Rule = {
  id: 'netpol/missing-default-deny',
  defaultSeverity: 'information',
  description: 'A component namespace without a default-deny NetworkPolicy.',
  help:
    "Without a NetworkPolicy that selects every pod (`podSelector: {}`), any pod of the cluster can reach the namespace's pods. A CiliumNetworkPolicy with an empty endpointSelector in the namespace, or a CiliumClusterwideNetworkPolicy that selects every endpoint or the namespace's, counts as one. A repository without the policy gets one finding per namespace, as information.",
  fix: 'Create a default-deny NetworkPolicy (ingress) in the component folder and add it to kustomization.yaml (not applied by check --fix: it cuts traffic the namespace may rely on).',
  check(model) {
    const findings: RuleFinding[] = [];
    const byNamespace = budgetsByNamespace(model);
    // Namespaced policies sit with their namespace's objects; clusterwide ones are few.
    const clusterwide = new Map(clusterObjects(model).map((c) => [c.cluster.name, c.objects.filter((o) => o.kind === 'CiliumClusterwideNetworkPolicy')]));
    for (const [namespace, components] of componentNamespaces(model)) {
      const inClusters = byNamespace.get(namespace) ?? [];
      // Reused while the namespace's budgets (its objects in every cluster) and the graph are unchanged.
      const finding = memoized(model, `netpol/missing-default-deny ${namespace}`, [model.graph, ...components, ...inClusters, ...[...clusterwide.values()].flat()], (): RuleFinding | undefined => {
        const without = inClusters.filter(
          (b) => !b.objects.some((o) => isPolicyFor(o, namespace)) && !(clusterwide.get(b.cluster) ?? []).some((o) => isPolicyFor(o, namespace)),
        );
        if (without.length === 0) return undefined;
        const anchor = anchorOf(model, namespace, components, without);
        if (!anchor) return undefined;
        // A policy file shared with a cluster that has one already would be a second policy there: no fix.
        const partial = without.length < inClusters.length;
        const created = partial ? undefined : createManifest(model, anchor.folder, 'networkpolicy.yaml', defaultDeny(namespace));
        const where = partial ? ` in ${without.map((b) => b.cluster).join(', ')}` : '';
        return {
          file: anchor.file,
          range: anchor.range,
          message: `Namespace ${namespace} has no default-deny NetworkPolicy (podSelector: {})${where}: every pod of the cluster can reach its pods.`,
          fixes: created ? [{ title: `Create ${created.file} (default-deny ingress for namespace ${namespace})`, changes: created.changes, safe: false, preferred: true }] : undefined,
        };
      });
      if (finding) findings.push(finding);
    }
    return findings;
  },
};

function isPolicyFor(o: BuiltObject, namespace: string): boolean {
  const spec = o.object?.spec ?? {};
  if (o.kind === 'NetworkPolicy' && o.resource.apiVersion.startsWith('networking.k8s.io/')) {
    return o.namespace === namespace && spec.podSelector !== undefined && isEmptySelector(spec.podSelector);
  }
  // A Cilium policy counts when it selects the whole namespace, as a default-deny does.
  if (o.kind === 'CiliumNetworkPolicy') {
    const specs = Array.isArray(o.object?.specs) ? o.object.specs : [spec];
    return o.namespace === namespace && specs.some((s: any) => s?.endpointSelector !== undefined && isEmptySelector(s.endpointSelector));
  }
  if (o.kind === 'CiliumClusterwideNetworkPolicy') {
    const specs = Array.isArray(o.object?.specs) ? o.object.specs : [spec];
    return specs.some((s: any) => {
      const selector = s?.endpointSelector;
      if (selector === undefined) return false;
      if (isEmptySelector(selector)) return true;
      const labels = selector?.matchLabels ?? {};
      return labels['k8s:io.kubernetes.pod.namespace'] === namespace || labels['io.kubernetes.pod.namespace'] === namespace;
    });
  }
  return false;
}

function isEmptySelector(selector: any): boolean {
  if (selector == null) return true;
  if (typeof selector !== 'object') return false;
  const labels = selector.matchLabels;
  const expressions = selector.matchExpressions;
  return (!labels || Object.keys(labels).length === 0) && (!Array.isArray(expressions) || expressions.length === 0);
}

function defaultDeny(namespace: string): string {
  return [
    'apiVersion: networking.k8s.io/v1',
    'kind: NetworkPolicy',
    'metadata:',
    '  name: default-deny-ingress',
    `  namespace: ${namespace}`,
    'spec:',
    '  podSelector: {}',
    '  policyTypes:',
    '    - Ingress',
    '',
  ].join('\n');
}
