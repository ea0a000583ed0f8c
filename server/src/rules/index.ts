// The rule catalogue. Adding a rule is adding its file and one line here.
import { fluxDependencyCycle } from './flux-dependency-cycle';
import { fluxPathNotFound } from './flux-path-not-found';
import { fluxUnreachableKustomization } from './flux-unreachable-kustomization';
import { fluxRootNotSelfManaged } from './flux-root-not-self-managed';
import { fluxUnknownDependency } from './flux-unknown-dependency';
import { kustomizeMissingResource } from './kustomize-missing-resource';
import { kustomizeUnlistedManifest } from './kustomize-unlisted-manifest';
import { kustomizeBuildError } from './kustomize-build-error';
import { kustomizePatchNoTarget } from './kustomize-patch-no-target';
import { yamlSyntax } from './yaml-syntax';
import { yamlDuplicateKey } from './yaml-duplicate-key';
import { layersDirection } from './layers-direction';
import { fluxMissingDependsOn } from './flux-missing-depends-on';
import { fluxCrdInSameKustomization } from './flux-crd-in-same-kustomization';
import { fluxMissingDecryption } from './flux-missing-decryption';
import { fluxInvalidSubstitution } from './flux-invalid-substitution';
import { secretsUnencrypted } from './secrets-unencrypted';
import { secretsNoCreationRule } from './secrets-no-creation-rule';
import { secretsPlaintextCredential } from './secrets-plaintext-credential';
import { secretsPartiallyEncrypted } from './secrets-partially-encrypted';
import { schemaInvalid } from './schema-invalid';
import { schemaDeprecatedApi } from './schema-deprecated-api';
import { quotaMissing } from './quota-missing';
import { quotaNoLimitrange } from './quota-no-limitrange';
import { quotaOverBudget } from './quota-over-budget';
import { resourcesMissing } from './resources-missing';
import { namespaceMissing } from './namespace-missing';
import { namespaceForeign } from './namespace-foreign';
import { namespaceDefault } from './namespace-default';
import { netpolMissingDefaultDeny } from './netpol-missing-default-deny';
import { helmInvalidValues } from './helm-invalid-values';
import { helmUnknownValue } from './helm-unknown-value';
import type { Rule } from './types';

export const RULES: readonly Rule[] = [
  yamlSyntax,
  yamlDuplicateKey,
  fluxPathNotFound,
  fluxUnreachableKustomization,
  fluxUnknownDependency,
  fluxDependencyCycle,
  fluxRootNotSelfManaged,
  kustomizeMissingResource,
  kustomizeUnlistedManifest,
  kustomizeBuildError,
  kustomizePatchNoTarget,
  layersDirection,
  fluxMissingDependsOn,
  fluxCrdInSameKustomization,
  fluxMissingDecryption,
  fluxInvalidSubstitution,
  secretsUnencrypted,
  secretsNoCreationRule,
  secretsPartiallyEncrypted,
  secretsPlaintextCredential,
  schemaInvalid,
  schemaDeprecatedApi,
  quotaMissing,
  quotaNoLimitrange,
  quotaOverBudget,
  resourcesMissing,
  namespaceMissing,
  namespaceForeign,
  namespaceDefault,
  netpolMissingDefaultDeny,
  helmInvalidValues,
  helmUnknownValue,
];

/** Rule ids the engine itself reports (problems of the configuration file). */
export const CONFIG_RULE_ID = 'config/invalid';

/** A rule that threw on this input: reported on the file it was checking (else the repository, "."), never silent. */
export const RULE_FAILED_ID = 'internal/rule-failed';

/** A folder, file or .gitignore pattern that could not be read: what is not checked, said once. */
export const UNREADABLE_ID = 'io/unreadable';

export const RULE_IDS: ReadonlySet<string> = new Set([...RULES.map((r) => r.id), CONFIG_RULE_ID, RULE_FAILED_ID, UNREADABLE_ID]);

export const DOCS_BASE = 'https://github.com/gitops-guardrails/gitops-guardrails/blob/main/README.md#';

/** The README section of a rule: GitHub's anchor for `### flux/path-not-found` is `fluxpath-not-found`. */
export function ruleDocsUrl(id: string): string {
  return DOCS_BASE + id.toLowerCase().replace(/[^a-z0-9 _-]/g, '').replace(/ /g, '-');
}
