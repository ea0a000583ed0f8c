import { appendToList } from './edits';
import { dependencyClosure, unorderedCustomResources } from './crd-ordering';
import type { FluxKustomization } from '../model/types';
import type { Rule, RuleFinding } from './types';

export const fluxMissingDependsOn: Rule = {
  id: 'flux/missing-depends-on',
  defaultSeverity: 'warning',
  scope: 'structure',
  description: 'A Flux Kustomization that applies custom resources whose CRD another Kustomization installs, without depending on it.',
  help:
    'On a fresh cluster (or after the operator is removed) the apply fails until the CRD exists; Flux retries, so it converges only if the other Kustomization happens to become ready, and its health checks report failures meanwhile. dependsOn makes the order explicit. Flux\'s own CRDs come with flux-system and need no dependsOn.',
  fix: 'Add the dependsOn entry.',
  check(model) {
    const findings: RuleFinding[] = [];
    const reported = new Set<string>();
    const closures = new Map(model.graph.clusters.map((c) => [c, dependencyClosure(c)]));
    const byApplier = new Map<string, { applier: FluxKustomization; installer: FluxKustomization; uses: ReturnType<typeof unorderedCustomResources> }>();
    for (const use of unorderedCustomResources(model)) {
      // Installed with the applier itself: flux/crd-in-same-kustomization says what to do.
      if (use.installers.some((i) => i.installedBy.includes(use.applier))) continue;
      // An installer that waits for the applier, or that the applier itself creates, cannot be
      // depended upon: the first would be a cycle, the second a deadlock.
      const installer = use.installers
        .flatMap((i) => i.installedBy)
        .find((ks) => !closures.get(use.cluster)!(ks).has(use.applier) && !appliedBeneath(model, use.applier, ks));
      if (!installer) continue;
      const key = `${use.applier.resource.file}#${use.applier.resource.index}→${installer.namespace}/${installer.name}`;
      const entry = byApplier.get(key) ?? { applier: use.applier, installer, uses: [] };
      entry.uses.push(use);
      byApplier.set(key, entry);
    }
    for (const [key, { applier, installer, uses }] of byApplier) {
      if (reported.has(key)) continue;
      reported.add(key);
      const kinds = [...new Set(uses.map((u) => `${u.resource.kind} ${u.resource.name}`))];
      const first = uses[0];
      const value = installer.namespace === applier.namespace ? `name: ${installer.name}` : `name: ${installer.name}\nnamespace: ${installer.namespace}`;
      const hasDependsOn = Array.isArray(applier.resource.object.spec?.dependsOn);
      const change = appendToList(model, applier.resource, ['spec', 'dependsOn'], value);
      findings.push({
        file: applier.resource.file,
        range: model.rangeOf(applier.resource, hasDependsOn ? ['spec', 'dependsOn'] : ['metadata', 'name'], hasDependsOn ? 'key' : 'value'),
        message: `Kustomization ${applier.name} applies ${kinds.slice(0, 3).join(', ')}${kinds.length > 3 ? ` and ${kinds.length - 3} more` : ''} whose CRD (${first.group}) is installed by Kustomization ${installer.name}, but does not depend on it; on a fresh cluster the apply fails until ${installer.name} is ready. Add dependsOn: ${installer.name}.`,
        related: [
          { file: first.resource.file, range: model.rangeOf(first.resource, ['kind']), message: `${first.resource.kind} ${first.resource.name} needs the CRD` },
          { file: installer.resource.file, range: model.rangeOf(installer.resource, ['metadata', 'name']), message: `Kustomization ${installer.name} installs ${first.group}` },
        ],
        fixes: change ? [{ title: `Add dependsOn ${installer.name}`, changes: [change], safe: true, preferred: true, exclusive: true }] : undefined,
      });
    }
    return findings;
  },
};


/** Whether `ks` is applied by `ancestor`, directly or through Kustomizations it applies. */
function appliedBeneath(model: Parameters<Rule['check']>[0], ancestor: FluxKustomization, ks: FluxKustomization): boolean {
  const seen = new Set<FluxKustomization>();
  const stack = [ks];
  while (stack.length > 0) {
    const current = stack.pop()!;
    for (const parent of model.graph.appliedBy.get(current.resource.file) ?? []) {
      if (parent === ancestor) return true;
      if (!seen.has(parent)) {
        seen.add(parent);
        stack.push(parent);
      }
    }
  }
  return false;
}
