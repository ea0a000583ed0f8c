import { componentOfPath, componentsByNamespace } from '../model/layers';
import type { RepoModel } from '../model/model';
import { isWithin } from '../model/paths';
import type { Component } from '../model/types';
import type { BuiltObject } from '../model/applied';
import { groupValues, sameFindings } from '../model/namespaceBudgets';
import { SYSTEM_NAMESPACES } from '../model/platform';
import { onePerKey } from './once';
import type { Rule, RuleFinding } from './types';

export const namespaceForeign: Rule = {
  id: 'namespace/foreign',
  defaultSeverity: 'warning',
  description: "A resource in a component folder that targets another component's namespace.",
  help:
    "One namespace per component keeps ownership, quotas and pruning clear: a resource that one component's folder puts into the namespace another component owns is counted against the other's ResourceQuota and pruned with the wrong Kustomization. Namespaces two components share, kube-* and flux-system are not judged.",
  fix: '—',
  check(model) {
    const components = model.layers.components;
    const owners = componentsByNamespace(components);
    // Each group's findings are kept while its objects and the components are the same.
    const found = groupValues(model, 'namespace/foreign', [components], (objects) => foreignIn(model, objects, components, owners), sameFindings);
    // The same document in several clusters is reported once.
    return model.queries.get('namespace/foreign once', found, [], () => onePerKey(found));
  },
};

function foreignIn(model: RepoModel, objects: readonly BuiltObject[], components: readonly Component[], owners: Map<string, Component>): Array<{ key: string; finding: RuleFinding }> {
  const found: Array<{ key: string; finding: RuleFinding }> = [];
  for (const o of objects) {
    const owner = owners.get(o.namespace);
    if (!owner || SYSTEM_NAMESPACES.has(o.namespace)) continue;
    const component = componentOfPath(components, o.resource.file);
    if (!component || component === owner || component.ownNamespaces.includes(o.namespace)) continue;
    // A shared template (its namespace a post-build variable, or set by a Kustomization of the
    // owner) belongs to the component that applies it, wherever its file lies.
    if ((o.resource.namespace ?? '').includes('${') || (o.namespaceSetBy !== undefined && isWithin(o.namespaceSetBy, owner.folder))) continue;
    found.push({
      key: `${o.resource.file}#${o.resource.index}`,
      finding: {
        file: o.resource.file,
        range: model.rangeOf(o.resource, o.resource.namespace === o.namespace ? ['metadata', 'namespace'] : ['metadata', 'name']),
        message: `${o.kind} ${o.name} of component ${component.name} goes into namespace ${o.namespace}, which component ${owner.name} owns${component.ownNamespaces.length > 0 ? ` (${component.name}'s own: ${component.ownNamespaces.join(', ')})` : ''}.`,
      },
    });
  }
  return found;
}
