import { appendToMap } from './edits';
import { effectiveSpec } from '../model/flux';
import type { Rule, RuleFinding } from './types';

export const fluxMissingDecryption: Rule = {
  id: 'flux/missing-decryption',
  defaultSeverity: 'error',
  scope: 'structure',
  description: 'A Flux Kustomization that applies SOPS-encrypted files but has no spec.decryption with provider sops.',
  help: 'Without spec.decryption the kustomize-controller applies the encrypted document as it is: the apply fails on the sops metadata, or a Secret full of ENC[...] strings reaches the cluster.',
  fix: 'Add spec.decryption with provider sops and the secretRef the repository\'s other Kustomizations use.',
  check(model) {
    const findings: RuleFinding[] = [];
    const kustomizations = model.graph.fluxKustomizations;
    // The secret most Kustomizations already decrypt with is the one to propose.
    const counts = new Map<string, number>();
    for (const ks of kustomizations) {
      const name = ks.resource.object.spec?.decryption?.secretRef?.name;
      if (typeof name === 'string') counts.set(name, (counts.get(name) ?? 0) + 1);
    }
    const secretName = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0] ?? 'sops-age';
    for (const ks of kustomizations) {
      if (effectiveSpec(ks).decryption?.provider === 'sops') continue;
      const encrypted = ks.appliedFiles.filter((f) => model.file(f)?.sopsEncrypted && !model.graph.patchFiles.has(f));
      if (encrypted.length === 0) continue;
      const change = appendToMap(model, ks.resource, ['spec'], `decryption:\n  provider: sops\n  secretRef:\n    name: ${secretName}`);
      findings.push({
        file: ks.resource.file,
        range: model.rangeOf(ks.resource, ks.resource.object.spec?.decryption ? ['spec', 'decryption'] : ['metadata', 'name']),
        message: `Kustomization ${ks.name} applies ${encrypted.length === 1 ? 'a SOPS-encrypted file' : `${encrypted.length} SOPS-encrypted files`} (${encrypted[0]}${encrypted.length > 1 ? ', …' : ''}) but has no spec.decryption with provider sops; ${encrypted.length === 1 ? 'it' : 'they'} would reach the cluster encrypted.`,
        related: encrypted.slice(0, 5).map((f) => ({ file: f, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, message: 'SOPS-encrypted file applied by this Kustomization' })),
        fixes: change && !ks.resource.object.spec?.decryption ? [{ title: `Add decryption with provider sops (secret ${secretName})`, changes: [change], safe: true, preferred: true }] : undefined,
      });
    }
    return findings;
  },
};
