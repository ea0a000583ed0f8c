import { componentOfPath, componentsByNamespace } from '../model/layers';
import { clusterObjects } from './cluster-objects';
import { SYSTEM_NAMESPACES } from './namespace-budgets';
import type { Rule, RuleFinding } from './types';

export const namespaceForeign: Rule = {
  id: 'namespace/foreign',
  defaultSeverity: 'warning',
  description: "A resource in a component folder that targets another component's namespace.",
  help:
    "One namespace per component keeps ownership, quotas and pruning clear: a resource that one component's folder puts into the namespace another component owns is counted against the other's ResourceQuota and pruned with the wrong Kustomization. Namespaces two components share, kube-* and flux-system are not judged.",
  fix: '—',
  check(model) {
    const findings: RuleFinding[] = [];
    const components = model.layers.components;
    const owners = componentsByNamespace(components);
    const reported = new Set<string>();
    for (const { objects } of clusterObjects(model)) {
      for (const o of objects) {
        const owner = owners.get(o.namespace);
        if (!owner || SYSTEM_NAMESPACES.has(o.namespace)) continue;
        const component = componentOfPath(components, o.resource.file);
        if (!component || component === owner || component.ownNamespaces.includes(o.namespace)) continue;
        const key = `${o.resource.file}#${o.resource.index}`;
        if (reported.has(key)) continue;
        reported.add(key);
        findings.push({
          file: o.resource.file,
          range: model.rangeOf(o.resource, o.resource.namespace === o.namespace ? ['metadata', 'namespace'] : ['metadata', 'name']),
          message: `${o.kind} ${o.name} of component ${component.name} goes into namespace ${o.namespace}, which component ${owner.name} owns${component.ownNamespaces.length > 0 ? ` (${component.name}'s own: ${component.ownNamespaces.join(', ')})` : ''}.`,
        });
      }
    }
    return findings;
  },
};
