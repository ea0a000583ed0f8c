import { fluxBuild, type Rendered } from '../model/build';
import { kindScope } from '../model/kindScope';
import type { RepoModel } from '../model/model';
import { sourceRange, sourceResource } from './build-locations';
import { appendToMap } from './edits';
import type { Fix, Rule, RuleFinding } from './types';

/** The kustomization that brought the object in: the innermost step that is a kustomization file of the repository. */
function owner(model: RepoModel, o: Rendered): string | undefined {
  const step = o.chain[0];
  return step && /(^|\/)(kustomization\.ya?ml|Kustomization)$/.test(step.file) && model.file(step.file) ? step.file : undefined;
}

/**
 * The namespace to give a kustomization: the one its other objects already name (all the same),
 * else its one Namespace object. Setting `namespace:` moves every object it builds, so nothing else.
 */
function namespaceFor(objects: readonly Rendered[], kustomization: string): string | undefined {
  const own = objects.filter((o) => o.chain.some((s) => s.file === kustomization));
  const named = new Set(own.filter((o) => o.namespace !== '').map((o) => o.namespace));
  if (named.size === 1) return [...named][0];
  if (named.size > 1) return undefined;
  const namespaces = own.filter((o) => o.kind === 'Namespace' && o.apiVersion === 'v1');
  return namespaces.length === 1 ? namespaces[0].name : undefined;
}

export const namespaceDefault: Rule = {
  id: 'namespace/default',
  defaultSeverity: 'warning',
  description: 'A namespaced object that lands in the `default` namespace because nothing sets its namespace.',
  help:
    'Neither the manifest, a kustomization `namespace:` (generators included), nor the Flux Kustomization\'s `targetNamespace` (as the build that applies the Kustomization writes it: a replacement or patch there may set it) gives the object a namespace, so it is created in `default`, next to whatever else ended up there, outside its component\'s quota and policies. Only kinds known to be namespaced are judged (built-in kinds, Flux\'s, and CRDs of the repository); a build with unresolved parts is not judged.',
  fix: 'Add `namespace:` to the kustomization that includes it, when its other objects name one namespace (or it has one Namespace).',
  check(model) {
    const findings: RuleFinding[] = [];
    const seen = new Set<string>();
    const applied = model.graph.fluxKustomizations.filter((ks) => ks.folder !== undefined && model.graph.clustersOf.has(ks.resource.file));
    // A Kustomization's targetNamespace as the build that applies it writes it (a replacement or
    // a patch of the parent's kustomization may set it), by the Kustomization's document.
    const builtTargetNamespace = new Map<string, unknown>();
    for (const ks of applied) {
      for (const o of fluxBuild(model, ks)?.objects ?? []) {
        if (o.kind === 'Kustomization' && o.apiVersion.startsWith('kustomize.toolkit.fluxcd.io/')) builtTargetNamespace.set(`${o.source.file}#${o.source.index}`, o.object?.spec?.targetNamespace);
      }
    }
    for (const ks of applied) {
      const built = builtTargetNamespace.get(`${ks.resource.file}#${ks.resource.index}`);
      if (typeof built === 'string' && built !== '') continue;
      const result = fluxBuild(model, ks);
      if (!result || result.error || result.unresolved.length > 0) continue;
      for (const o of result.objects) {
        if (o.namespace !== '' || kindScope(model, o.apiVersion, o.kind) !== 'namespaced') continue;
        const key = `${o.source.file}\n${o.source.index ?? ''}\n${JSON.stringify(o.source.nodePath ?? [])}`;
        if (seen.has(key) || !model.file(o.source.file)) continue;
        seen.add(key);
        const resource = sourceResource(model, o.source);
        const range = o.source.nodePath || !resource ? sourceRange(model, o.source) : model.rangeOf(resource, ['metadata', 'name']);
        const kustomization = owner(model, o);
        const setter = kustomization ? `no namespace in ${kustomization}` : `no kustomization in ${ks.folder || '.'}`;
        const finding: RuleFinding = {
          file: o.source.file,
          range,
          message: `${o.kind} ${o.name} lands in the default namespace: it names no namespace, ${setter} sets one, and Kustomization ${ks.namespace}/${ks.name} has no targetNamespace.`,
        };
        const namespace = kustomization ? namespaceFor(result.objects, kustomization) : undefined;
        const target = kustomization ? model.file(kustomization)?.resources[0] : undefined;
        const change = namespace && target ? appendToMap(model, target, [], `namespace: ${namespace}`) : undefined;
        if (change) {
          const fix: Fix = { title: `Add namespace: ${namespace} to ${kustomization}`, changes: [change], safe: false, preferred: true };
          finding.fixes = [fix];
        }
        findings.push(finding);
      }
    }
    return findings;
  },
};
