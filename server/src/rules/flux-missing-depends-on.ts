import { appendToList } from './edits';
import { describeResources, unorderedCustomResources } from './crd-ordering';
import type { FluxKustomization, Resource } from '../model/types';
import type { FileChange, Rule, RuleFinding } from './types';

export const fluxMissingDependsOn: Rule = {
  id: 'flux/missing-depends-on',
  defaultSeverity: 'warning',
  scope: 'structure',
  description: 'A Flux Kustomization that applies custom resources whose CRD another Kustomization installs, without depending on it.',
  help:
    'On a fresh cluster (or after the operator is removed) the apply fails until the CRD exists; Flux retries, so it converges only if the other Kustomization happens to become ready, and its health checks report failures meanwhile. dependsOn makes the order explicit. A Kustomization applying CRD manifests (a `crds` Kustomization) is preferred over one installing a chart. Flux\'s own CRDs come with flux-system and need no dependsOn. One finding per Kustomization and missing dependency, with the count; Kustomizations that apply the same custom resource file (a shared template) and miss the same dependency are one finding, the others related, with one fix for all.',
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
    // Appliers that apply the same custom resource file (a shared template folder) and miss the same
    // installer are one cause: said once, at the first applier, the others related, one fix for all.
    const causes = new Map<string, Array<{ applier: FluxKustomization; on: FluxKustomization; groups: Set<string>; resources: Resource[] }>>();
    for (const entry of byApplier.values()) {
      const key = `${entry.on.resource.file}#${entry.on.resource.index}|${entry.resources[0].file}`;
      let list = causes.get(key);
      if (!list) causes.set(key, (list = []));
      list.push(entry);
    }
    const findings: RuleFinding[] = [];
    for (const entries of causes.values()) {
      entries.sort((a, b) => (a.applier.resource.file < b.applier.resource.file ? -1 : a.applier.resource.file > b.applier.resource.file ? 1 : a.applier.resource.index - b.applier.resource.index));
      const { applier, on: installer, resources } = entries[0];
      const first = resources[0];
      const group = [...new Set(entries.flatMap((e) => [...e.groups]))].sort().join(', ');
      const changeFor = (a: FluxKustomization) =>
        appendToList(model, a.resource, ['spec', 'dependsOn'], installer.namespace === a.namespace ? `name: ${installer.name}` : `name: ${installer.name}\nnamespace: ${installer.namespace}`);
      const hasDependsOn = Array.isArray(applier.resource.object.spec?.dependsOn);
      const range = model.rangeOf(applier.resource, hasDependsOn ? ['spec', 'dependsOn'] : ['metadata', 'name'], hasDependsOn ? 'key' : 'value');
      const related = [
        { file: first.file, range: model.rangeOf(first, ['kind']), message: `${first.kind} ${first.name} needs the CRD` },
        { file: installer.resource.file, range: model.rangeOf(installer.resource, ['metadata', 'name']), message: `Kustomization ${installer.name} installs ${group}` },
      ];
      if (entries.length === 1) {
        const change = changeFor(applier);
        findings.push({
          file: applier.resource.file,
          range,
          message: `Kustomization ${applier.name} applies ${describeResources(resources)} whose CRD (${group}) is installed by Kustomization ${installer.name}, but does not depend on it; on a fresh cluster the apply fails until ${installer.name} is ready. Add dependsOn: ${installer.name}.`,
          related,
          fixes: change ? [{ title: `Add dependsOn ${installer.name}`, changes: [change], safe: true, preferred: true, exclusive: true }] : undefined,
        });
        continue;
      }
      const names = entries.map((e) => e.applier.name);
      const named = names.length > 3 ? `${names.slice(0, 3).join(', ')} and ${names.length - 3} more` : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
      for (const other of entries.slice(1)) {
        related.push({ file: other.applier.resource.file, range: model.rangeOf(other.applier.resource, ['metadata', 'name']), message: `Kustomization ${other.applier.name} applies it too, without dependsOn: ${installer.name}` });
      }
      // One change per file (two Kustomizations of one ks.yaml are edited together).
      const changes: FileChange[] = [];
      let complete = true;
      for (const e of entries) {
        const change = changeFor(e.applier);
        if (!change || change.kind !== 'edit') complete = false;
        else {
          const same = changes.find((c): c is Extract<FileChange, { kind: 'edit' }> => c.kind === 'edit' && c.file === change.file);
          if (same) same.edits.push(...change.edits);
          else changes.push({ kind: 'edit', file: change.file, edits: [...change.edits] });
        }
      }
      findings.push({
        file: applier.resource.file,
        range,
        message: `${entries.length} Kustomizations (${named}) apply ${first.kind} ${first.name} of ${first.file}, whose CRD (${group}) is installed by Kustomization ${installer.name}, but none depends on it; on a fresh cluster their apply fails until ${installer.name} is ready. Add dependsOn: ${installer.name} to each.`,
        related,
        fixes: complete ? [{ title: `Add dependsOn ${installer.name} to the ${entries.length} Kustomizations`, changes, safe: true, preferred: true, exclusive: true }] : undefined,
      });
    }
    return findings;
  },
};
