import type { BuiltObject } from '../model/applied';
import { basename } from '../model/paths';
import { createManifest } from './edits';
import { anchorOf, namespaceValues, objectGroups, sameFindings } from '../model/namespaceBudgets';
import type { Rule, RuleFinding } from './types';

const NO_OBJECTS: BuiltObject[] = [];

export const netpolMissingDefaultDeny: Rule = {
  id: 'netpol/missing-default-deny',
  defaultSeverity: 'information',
  description: 'A component namespace without a default-deny NetworkPolicy.',
  help:
    "Without a NetworkPolicy that selects every pod (`podSelector: {}`), any pod of the cluster can reach the namespace's pods. A CiliumNetworkPolicy with an empty endpointSelector in the namespace, or a CiliumClusterwideNetworkPolicy that selects every endpoint or the namespace's, counts as one. A repository without the policy gets one finding per namespace, as information.",
  fix: 'Create a default-deny NetworkPolicy (ingress) in the component folder and add it to kustomization.yaml (not applied by check --fix: it cuts traffic the namespace may rely on).',
  check(model) {
    // Namespaced policies sit with their namespace's objects; clusterwide ones are few (and cluster-wide objects sit in the '' group).
    const clusterwide = new Map(objectGroups(model).map(({ cluster, groups }) => {
      const global = groups.get('') ?? NO_OBJECTS;
      return [cluster.name, model.queries.get('netpol clusterwide', global, [], () => global.filter((o) => o.kind === 'CiliumClusterwideNetworkPolicy'))] as const;
    }));
    const policies = model.queries.joined('netpol clusterwide', [...clusterwide.values()]);
    // Each namespace's finding is kept while its budgets (its objects in every cluster), its components, the clusterwide policies and the files it points into are unchanged.
    return namespaceValues(model, 'netpol/missing-default-deny', [policies], (namespace, components, inClusters): RuleFinding[] => {
      const without = inClusters.filter(
        (b) => !b.objects.some((o) => isPolicyFor(o, namespace)) && !(clusterwide.get(b.cluster) ?? []).some((o) => isPolicyFor(o, namespace)),
      );
      if (without.length === 0) return [];
      const anchor = anchorOf(model, namespace, components, without);
      if (!anchor) return [];
      // A policy file shared with a cluster that has one already would be a second policy there: no fix.
      const partial = without.length < inClusters.length;
      const created = partial ? undefined : createManifest(model, anchor.folder, 'networkpolicy.yaml', defaultDeny(namespace));
      const where = partial ? ` in ${without.map((b) => b.cluster).join(', ')}` : '';
      return [
        {
          file: anchor.file,
          range: anchor.range,
          message: `Namespace ${namespace} has no default-deny NetworkPolicy (podSelector: {})${where}: every pod of the cluster can reach its pods.`,
          fixes: created ? [{ title: `Create ${basename(created.file)} (default-deny ingress for ${namespace})`, changes: created.changes, safe: false, preferred: true }] : undefined,
        },
      ];
    }, sameFindings);
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
