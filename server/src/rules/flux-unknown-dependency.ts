import type { DependencyIndex } from '../model/dependencies';
import type { RepoModel } from '../model/model';
import { pairAt } from '../model/positions';
import type { DependencyRef, Resource, YamlFile } from '../model/types';
import { appendToMap, replaceNode } from './edits';
import type { Fix, Rule, RuleFinding } from './types';

export const fluxUnknownDependency: Rule = {
  id: 'flux/unknown-dependency',
  defaultSeverity: 'error',
  scope: 'structure',
  description: 'A dependsOn entry that names no Kustomization or HelmRelease of the repository.',
  help:
    'Flux waits for a dependency that never becomes ready, so the dependent is never applied. A Kustomization may only depend on Kustomizations and a HelmRelease on HelmReleases, matched by name and namespace (the dependent\'s own namespace when none is given) as they are after kustomize (`namespace:`) and the applying Kustomization\'s post-build substitution. A name that uses a variable no substitution in the repository provides is not judged.',
  fix: 'Replace the name with the one meant (did-you-mean), or set the namespace the target lives in; completion offers the real names.',
  check(model) {
    const findings: RuleFinding[] = [];
    const dependencies = model.dependencies;
    for (const dependent of [...dependencies.kustomizations.dependents, ...dependencies.helmReleases.dependents]) {
      if (!model.graph.clustersOf.has(dependent.resource.file)) continue;
      const index = dependencies.indexFor(dependent);
      for (const ref of dependent.dependsOn) {
        if (ref.unresolved || index.byKey.has(`${ref.namespace}/${ref.name}`)) continue;
        const elsewhere = index.byName.get(ref.name) ?? [];
        // Where a namespace is only known after a kustomize build we cannot follow, do not guess.
        if (elsewhere.length > 0 && (ref.namespace === '' || elsewhere.includes(''))) continue;
        // A target declared in a document of this file that does not parse is yaml/syntax's to report.
        if (declaredInBrokenDocument(model.file(dependent.resource.file), ref.name)) continue;
        const kind = dependent.resource.kind;
        const near = elsewhere.length > 0 ? [] : dependencies.similarNames(dependent, ref.name);
        const message =
          elsewhere.length > 0
            ? `${kind} ${dependent.name} depends on ${ref.namespace}/${ref.name}, but ${ref.name} is in namespace ${[...new Set(elsewhere)].join(', ')}; set dependsOn namespace.`
            : `${kind} ${dependent.name} depends on ${ref.name}${ref.namespace ? ` in namespace ${ref.namespace}` : ''}, but no ${kind} of that name exists in this repository${near.length > 0 ? `; did you mean ${near.join(' or ')}?` : '.'}`;
        findings.push({ file: dependent.resource.file, range: model.rangeOf(dependent.resource, ref.nodePath), message, fixes: fixesFor(model, dependent.resource, ref, near, index, [...new Set(elsewhere)]) });
      }
    }
    return findings;
  },
};

function declaredInBrokenDocument(file: YamlFile | undefined, name: string): boolean {
  if (!file || file.syntaxErrors.length === 0) return false;
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^\\s*name:\\s*["']?${escaped}["']?\\s*$`, 'm').test(file.text);
}

/**
 * The fixes of an unknown dependency: each name meant (did-you-mean) that exists in the entry's
 * namespace, or the one namespace where the name does exist. Never unattended: a guess.
 */
function fixesFor(model: RepoModel, resource: Resource, ref: DependencyRef, near: readonly string[], index: DependencyIndex, elsewhere: readonly string[]): Fix[] | undefined {
  const fixes: Fix[] = [];
  for (const name of near) {
    if (!index.byKey.has(`${ref.namespace}/${name}`)) continue;
    fixes.push({ title: `Change the dependency to ${name}`, changes: [replaceNode(model, resource, ref.nodePath, name)], safe: false, preferred: near.length === 1 });
  }
  const entry = ref.nodePath.slice(0, -1);
  const doc = model.file(resource.file)?.documents[resource.index];
  if (elsewhere.length === 1 && elsewhere[0] !== '' && doc) {
    const namespace = elsewhere[0];
    const written = pairAt(doc, [...entry, 'namespace']);
    const change = written ? replaceNode(model, resource, [...entry, 'namespace'], namespace) : appendToMap(model, resource, entry, `namespace: ${namespace}`);
    if (change) fixes.push({ title: `Set the dependency's namespace to ${namespace}`, changes: [change], safe: false, preferred: true });
  }
  return fixes.length > 0 ? fixes : undefined;
}
