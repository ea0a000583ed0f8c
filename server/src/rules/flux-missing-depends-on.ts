import { appendToList } from './edits';
import { describeResources, unorderedCustomResources } from './crd-ordering';
import type { FluxKustomization, Resource } from '../model/types';
import type { Rule, RuleFinding } from './types';

export const fluxMissingDependsOn: Rule = {
  id: 'flux/missing-depends-on',
  defaultSeverity: 'warning',
  scope: 'structure',
  description: 'A Flux Kustomization that applies custom resources whose CRD another Kustomization installs, without depending on it.',
  help:
    'On a fresh cluster (or after the operator is removed) the apply fails until the CRD exists; Flux retries, so it converges only if the other Kustomization happens to become ready, and its health checks report failures meanwhile. dependsOn makes the order explicit. A Kustomization applying CRD manifests (a `crds` Kustomization) is preferred over one installing a chart. Flux\'s own CRDs come with flux-system and need no dependsOn. One finding per Kustomization and missing dependency, with the count.',
  fix: 'Add the dependsOn entry.',
  check(model) {
    // One finding per applier and Kustomization to depend on, whatever the number of resources.
    const byApplier = new Map<string, { applier: FluxKustomization; on: FluxKustomization; groups: Set<string>; resources: Resource[] }>();
    for (const use of unorderedCustomResources(model)) {
      if (use.remedy.kind !== 'depends-on') continue;
      const on = use.remedy.on;
      // Clusters that share files reach the same applier twice: one finding per written dependsOn.
      const key = `${use.applier.resource.file}#${use.applier.resource.index}→${on.name}`;
      let entry = byApplier.get(key);
      if (!entry) byApplier.set(key, (entry = { applier: use.applier, on, groups: new Set(), resources: [] }));
      entry.groups.add(use.group);
      if (!entry.resources.includes(use.resource)) entry.resources.push(use.resource);
    }
    const findings: RuleFinding[] = [];
    for (const { applier, on: installer, groups, resources } of byApplier.values()) {
      const first = resources[0];
      const group = [...groups].sort().join(', ');
      const value = installer.namespace === applier.namespace ? `name: ${installer.name}` : `name: ${installer.name}\nnamespace: ${installer.namespace}`;
      const hasDependsOn = Array.isArray(applier.resource.object.spec?.dependsOn);
      const change = appendToList(model, applier.resource, ['spec', 'dependsOn'], value);
      findings.push({
        file: applier.resource.file,
        range: model.rangeOf(applier.resource, hasDependsOn ? ['spec', 'dependsOn'] : ['metadata', 'name'], hasDependsOn ? 'key' : 'value'),
        message: `Kustomization ${applier.name} applies ${describeResources(resources)} whose CRD (${group}) is installed by Kustomization ${installer.name}, but does not depend on it; on a fresh cluster the apply fails until ${installer.name} is ready. Add dependsOn: ${installer.name}.`,
        related: [
          { file: first.file, range: model.rangeOf(first, ['kind']), message: `${first.kind} ${first.name} needs the CRD` },
          { file: installer.resource.file, range: model.rangeOf(installer.resource, ['metadata', 'name']), message: `Kustomization ${installer.name} installs ${group}` },
        ],
        fixes: change ? [{ title: `Add dependsOn ${installer.name}`, changes: [change], safe: true, preferred: true, exclusive: true }] : undefined,
      });
    }
    return findings;
  },
};
