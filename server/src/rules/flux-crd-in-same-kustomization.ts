import { describeResources, unorderedCustomResources } from './crd-ordering';
import type { FluxKustomization, Resource } from '../model/types';
import type { Rule, RuleFinding } from './types';

export const fluxCrdInSameKustomization: Rule = {
  id: 'flux/crd-in-same-kustomization',
  defaultSeverity: 'error',
  scope: 'structure',
  description: 'A custom resource applied by the same Flux Kustomization as the HelmRelease that installs its CRD, with no other installer to wait for.',
  help:
    'The kustomize-controller dry-runs the whole Kustomization before applying it. On a fresh cluster the CRD does not exist yet (the HelmRelease that installs it has not run), so the dry-run fails and nothing of the Kustomization is applied, the HelmRelease included: it never converges. CRD manifests in the same Kustomization are fine (Flux applies CRDs first); a HelmRelease is not. Where another Kustomization installs the same CRDs (a `crds` Kustomization), flux/missing-depends-on asks for the dependsOn instead. One finding per Kustomization and HelmRelease, with the count.',
  fix: '— (move the custom resources to a second Kustomization that dependsOn this one)',
  check(model) {
    // One finding per applier and installing release: the cause is one, however many resources.
    const groups = new Map<string, { applier: FluxKustomization; release: Resource; groups: Set<string>; resources: Resource[] }>();
    for (const use of unorderedCustomResources(model)) {
      if (use.remedy.kind !== 'split') continue;
      const release = use.remedy.release;
      const key = `${use.applier.resource.file}#${use.applier.resource.index}→${release.file}#${release.index}`;
      let entry = groups.get(key);
      if (!entry) groups.set(key, (entry = { applier: use.applier, release, groups: new Set(), resources: [] }));
      entry.groups.add(use.group);
      if (!entry.resources.includes(use.resource)) entry.resources.push(use.resource);
    }
    const findings: RuleFinding[] = [];
    // A bootstrap script that installs CRDs before Flux may install these: not sure, so a warning.
    const [script] = model.opaqueCrdInstallers;
    for (const { applier, release, groups: apiGroups, resources } of groups.values()) {
      resources.sort((a, b) => a.file.localeCompare(b.file) || a.index - b.index);
      const [first, ...others] = resources;
      const group = [...apiGroups].sort().join(', ');
      const message =
        others.length === 0
          ? `${first.kind} ${first.name} is applied by Kustomization ${applier.name} together with HelmRelease ${release.name}, which installs its CRD (${group}); on a fresh cluster the dry-run fails and nothing of ${applier.name} is applied. Move it to a Kustomization that dependsOn ${applier.name}.`
          : `${resources.length} custom resources (${describeResources(resources)}) are applied by Kustomization ${applier.name} together with HelmRelease ${release.name}, which installs their CRDs (${group}); on a fresh cluster the dry-run fails and nothing of ${applier.name} is applied. Move them to a Kustomization that dependsOn ${applier.name}.`;
      findings.push({
        file: first.file,
        range: model.rangeOf(first, ['kind']),
        message: script ? `${message} (Unless ${script}, which this repository runs before Flux and which cannot be read here, installs ${others.length === 0 ? 'it' : 'them'}.)` : message,
        ...(script ? { severity: 'warning' as const } : {}),
        related: [
          { file: release.file, range: model.rangeOf(release, ['metadata', 'name']), message: `HelmRelease ${release.name} installs ${group}` },
          ...others.slice(0, 20).map((r) => ({ file: r.file, range: model.rangeOf(r, ['kind']), message: `${r.kind} ${r.name} needs the CRD` })),
        ],
      });
    }
    return findings;
  },
};
