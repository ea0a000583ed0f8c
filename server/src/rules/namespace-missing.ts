import { componentOfPath } from '../model/layers';
import type { RepoModel } from '../model/model';
import { plainValue } from '../model/limits';
import { basename } from '../model/paths';
import type { Component } from '../model/types';
import { clusterObjects, type BuiltObject } from '../model/applied';
import { BUILT_IN_NAMESPACES, platformNamespaces, platformsOf, type Platform } from '../model/platform';
import { createManifest } from './edits';
import { groupValues, helmTargetNamespace, objectGroups, readsOfValues, sameFindings } from '../model/namespaceBudgets';
import type { Rule, RuleFinding } from './types';

/** Namespaces that bootstrap steps no cluster applies create: helmfile releases, kustomize helmCharts. */
function bootstrapNamespaces(model: RepoModel): Set<string> {
  return model.queries.get('namespace/missing bootstrap', 'all', [model.graph], () => findBootstrapNamespaces(model));
}

function findBootstrapNamespaces(model: RepoModel): Set<string> {
  const result = new Set<string>();
  for (const path of model.bootstrapFiles) {
    for (const doc of model.file(path)?.documents ?? []) {
      if (doc.errors.length > 0) continue;
      const value = plainValue(doc);
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
    'Kubernetes refuses objects in a namespace that does not exist ("namespaces \\"x\\" not found"), so the whole Flux Kustomization fails. A namespace counts as declared by a Namespace object anywhere the cluster applies (after kustomize `namespace:` and Flux `targetNamespace` renamed it), by a HelmRelease with `install.createNamespace: true`, by a bootstrap step outside the clusters (helmfile `releases`, kustomize `helmCharts`), or by the platform itself (on OpenShift the `openshift-*` namespaces and Projects, on Giant Swarm `giantswarm` and the `org-<name>` of each Organization).',
  fix: 'Create namespace.yaml in the component folder and add it to kustomization.yaml.',
  check(model) {
    const components = model.layers.components;
    const bootstrapped = bootstrapNamespaces(model);
    const declared = declaredByCluster(model, bootstrapped);
    // A cluster with a Kustomization that cannot be built: a Namespace may be among what is not
    // seen, so its namespaces are not judged.
    const unbuilt = unbuiltClusters(model);
    // Each group's findings are kept while its objects, the declared namespaces and the components are the same.
    const all = groupValues(model, 'namespace/missing', [...declared.values(), components, unbuilt], (objects, cluster) =>
      unbuilt.names.has(cluster.name) ? [] : missingIn(cluster.name, objects, declared.get(cluster.name)!, components),
    );
    // Made again when a group's values or a file the findings point into changed (a fix appends to the component's kustomization.yaml).
    return model.queries.get('namespace/missing findings', all, [], (read) => readsOfValues(read, findingsOf(model, all)));
  },
};

/** The clusters some of whose Kustomizations cannot be built; the same object while they are the same. */
function unbuiltClusters(model: RepoModel): { names: Set<string> } {
  const names = clusterObjects(model).filter((c) => c.unbuilt.length > 0).map((c) => c.cluster.name);
  return model.queries.get('namespace/missing unbuilt', 'all', [names.join('\n')], () => ({ names: new Set(names) }));
}

interface Missing {
  component: Component;
  namespace: string;
  object: BuiltObject;
  cluster: string;
}

function missingIn(cluster: string, objects: readonly BuiltObject[], declared: ReadonlySet<string>, components: readonly Component[]): Missing[] {
  const found: Missing[] = [];
  for (const o of objects) {
    const namespace = o.kind === 'HelmRelease' ? [o.namespace, helmTargetNamespace(o)] : [o.namespace];
    for (const ns of new Set(namespace)) {
      if (!ns || ns.includes('${') || declared.has(ns)) continue;
      const component = componentOfPath(components, o.resource.file);
      if (component) found.push({ component, namespace: ns, object: o, cluster });
    }
  }
  return found;
}

/**
 * The namespaces each cluster declares (built-in, bootstrapped, Namespace objects, HelmReleases
 * that create theirs); the same Sets while they hold the same names.
 */
function declaredByCluster(model: RepoModel, bootstrapped: ReadonlySet<string>): Map<string, Set<string>> {
  const platforms = platformsOf(model);
  const names = groupValues(model, 'namespace/missing declares', [platforms], (objects, cluster) => declaresOf(objects, platforms.get(cluster.name)).map((name) => [cluster.name, name] as const), sameFindings);
  const groups = objectGroups(model);
  return model.queries.get('namespace/missing declared', 'all', [names, bootstrapped, groups], (_, previous: Map<string, Set<string>> | undefined) => {
    const declared = new Map(groups.map(({ cluster }) => [cluster.name, new Set([...BUILT_IN_NAMESPACES, ...bootstrapped])] as const));
    for (const [cluster, name] of names) declared.get(cluster)?.add(name);
    // Equal names (an edit that declares the same namespaces): the previous Sets, so the groups' findings hold.
    for (const [cluster, set] of declared) {
      const before = previous?.get(cluster);
      if (before && before.size === set.size && [...set].every((n) => before.has(n))) declared.set(cluster, before);
    }
    return declared;
  });
}

function declaresOf(objects: readonly BuiltObject[], platform: Platform | undefined): string[] {
  const names: string[] = [];
  for (const o of objects) {
    if (o.kind === 'Namespace' && o.resource.apiVersion === 'v1') names.push(o.name);
    if (o.kind === 'HelmRelease' && o.object?.spec?.install?.createNamespace === true) names.push(helmTargetNamespace(o));
  }
  return [...names, ...platformNamespaces(objects, platform)];
}

function findingsOf(model: RepoModel, all: readonly Missing[]): RuleFinding[] {
  const findings: RuleFinding[] = [];
  const missing = new Map<string, { component: Component; namespace: string; first: BuiltObject; count: Set<string>; clusters: string[] }>();
  for (const { component, namespace, object: o, cluster } of all) {
    const key = `${component.folder}\n${namespace}`;
    let entry = missing.get(key);
    if (!entry) missing.set(key, (entry = { component, namespace, first: o, count: new Set(), clusters: [] }));
    entry.count.add(`${o.kind}/${o.name}`);
    if (!entry.clusters.includes(cluster)) entry.clusters.push(cluster);
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
      fixes: created ? [{ title: `Create ${basename(created.file)} (Namespace ${namespace})`, changes: created.changes, safe: true, preferred: true }] : undefined,
    });
  }
  return findings;
}
