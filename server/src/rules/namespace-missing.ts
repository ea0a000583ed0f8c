import { componentOfPath } from '../model/layers';
import type { RepoModel } from '../model/model';
import type { Component } from '../model/types';
import { clusterObjects, type BuiltObject } from './cluster-objects';
import { createManifest } from './edits';
import { helmTargetNamespace } from './namespace-budgets';
import type { Rule, RuleFinding } from './types';

/** Namespaces every cluster has before anything is applied (flux-system: Flux's bootstrap). */
const BUILT_IN_NAMESPACES = new Set(['default', 'kube-system', 'kube-public', 'kube-node-lease', 'flux-system']);

/** Namespaces that bootstrap steps no cluster applies create: helmfile releases, kustomize helmCharts. */
function bootstrapNamespaces(model: RepoModel): Set<string> {
  const result = new Set<string>();
  for (const path of model.graph.unreachable) {
    for (const doc of model.file(path)?.documents ?? []) {
      if (doc.errors.length > 0) continue;
      const value = doc.toJS();
      for (const list of [value?.releases, value?.helmCharts]) {
        if (!Array.isArray(list)) continue;
        for (const entry of list) if (typeof entry?.namespace === 'string') result.add(entry.namespace);
      }
    }
  }
  return result;
}

export const namespaceMissing: Rule = {
  id: 'namespace/missing',
  defaultSeverity: 'warning',
  description: 'A component whose resources land in a namespace that nothing the cluster applies declares.',
  help:
    'Kubernetes refuses objects in a namespace that does not exist ("namespaces \\"x\\" not found"), so the whole Flux Kustomization fails. A namespace counts as declared by a Namespace object anywhere the cluster applies (after kustomize `namespace:` and Flux `targetNamespace` renamed it), by a HelmRelease with `install.createNamespace: true`, or by a bootstrap step outside the clusters (helmfile `releases`, kustomize `helmCharts`).',
  fix: 'Create namespace.yaml in the component folder and add it to kustomization.yaml.',
  check(model) {
    const findings: RuleFinding[] = [];
    const components = model.layers.components;
    const bootstrapped = bootstrapNamespaces(model);
    const missing = new Map<string, { component: Component; namespace: string; first: BuiltObject; count: Set<string>; clusters: string[] }>();
    for (const { cluster, objects } of clusterObjects(model)) {
      const declared = new Set([...BUILT_IN_NAMESPACES, ...bootstrapped]);
      for (const o of objects) {
        if (o.kind === 'Namespace' && o.resource.apiVersion === 'v1') declared.add(o.name);
        if (o.kind === 'HelmRelease' && o.object?.spec?.install?.createNamespace === true) declared.add(helmTargetNamespace(o));
      }
      for (const o of objects) {
        const namespace = o.kind === 'HelmRelease' ? [o.namespace, helmTargetNamespace(o)] : [o.namespace];
        for (const ns of new Set(namespace)) {
          if (!ns || ns.includes('${') || declared.has(ns)) continue;
          const component = componentOfPath(components, o.resource.file);
          if (!component) continue;
          const key = `${component.folder}\n${ns}`;
          let entry = missing.get(key);
          if (!entry) missing.set(key, (entry = { component, namespace: ns, first: o, count: new Set(), clusters: [] }));
          entry.count.add(`${o.kind}/${o.name}`);
          if (!entry.clusters.includes(cluster.name)) entry.clusters.push(cluster.name);
        }
      }
    }
    for (const { component, namespace, first, count, clusters } of missing.values()) {
      const dir = model.graph.kustomizeDirs.get(component.folder);
      const anchor =
        dir?.resource && dir.resource.object.namespace === namespace
          ? { file: dir.resource.file, range: model.rangeOf(dir.resource, ['namespace']) }
          : { file: first.resource.file, range: model.rangeOf(first.resource, first.resource.namespace === namespace ? ['metadata', 'namespace'] : ['metadata', 'name']) };
      const created = createManifest(model, component.folder, 'namespace.yaml', `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${namespace}\n`);
      const others = count.size - 1;
      findings.push({
        ...anchor,
        message: `Component ${component.name} puts ${first.kind} ${first.name}${others > 0 ? ` and ${others} more` : ''} in namespace ${namespace}, but nothing ${clusters.join(', ')} applies declares it (no Namespace object, no HelmRelease with install.createNamespace): the apply fails with namespaces "${namespace}" not found.`,
        fixes: created ? [{ title: `Create ${created.file} (Namespace ${namespace})`, changes: created.changes, safe: true, preferred: true }] : undefined,
      });
    }
    return findings;
  },
};
