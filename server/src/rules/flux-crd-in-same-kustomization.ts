import { unorderedCustomResources } from './crd-ordering';
import type { Rule, RuleFinding } from './types';

export const fluxCrdInSameKustomization: Rule = {
  id: 'flux/crd-in-same-kustomization',
  defaultSeverity: 'error',
  scope: 'structure',
  description: 'A custom resource applied by the same Flux Kustomization as the HelmRelease that installs its CRD.',
  help:
    'The kustomize-controller dry-runs the whole Kustomization before applying it. On a fresh cluster the CRD does not exist yet (the HelmRelease that installs it has not run), so the dry-run fails and nothing of the Kustomization is applied, the HelmRelease included: it never converges. CRD manifests in the same Kustomization are fine (Flux applies CRDs first); a HelmRelease is not.',
  fix: '— (move the custom resource to a second Kustomization that dependsOn this one)',
  check(model) {
    const findings: RuleFinding[] = [];
    const seen = new Set<string>();
    for (const use of unorderedCustomResources(model)) {
      const same = use.installers.find((i) => i.installer.via === 'helm-chart' && i.installedBy.includes(use.applier));
      if (!same) continue;
      const key = `${use.resource.file}#${use.resource.index}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const release = same.installer.resource;
      findings.push({
        file: use.resource.file,
        range: model.rangeOf(use.resource, ['kind']),
        message: `${use.resource.kind} ${use.resource.name} is applied by Kustomization ${use.applier.name} together with HelmRelease ${release.name}, which installs its CRD (${use.group}); on a fresh cluster the dry-run fails and nothing of ${use.applier.name} is applied. Move it to a Kustomization that dependsOn ${use.applier.name}.`,
        related: [{ file: release.file, range: model.rangeOf(release, ['metadata', 'name']), message: `HelmRelease ${release.name} installs ${use.group}` }],
      });
    }
    return findings;
  },
};
