// Storage claims counted by ResourceQuota (persistentvolumeclaims, requests.storage).
import { isMap, readQuantity } from './resource-list';
import type { BudgetProblem, ClaimBudget, NodePath } from './types';

/** A PersistentVolumeClaim manifest; undefined for any other kind. */
export function claimBudget(object: unknown): ClaimBudget | undefined {
  if (!isMap(object) || object.kind !== 'PersistentVolumeClaim') return undefined;
  const name = isMap(object.metadata) && typeof object.metadata.name === 'string' ? object.metadata.name : '';
  return readClaim(name, object.spec, ['spec'], []);
}

/** StatefulSet `spec.volumeClaimTemplates`: one claim of each per replica. */
export function readClaimTemplates(templates: unknown, problems: BudgetProblem[]): ClaimBudget[] {
  if (!Array.isArray(templates)) return [];
  return templates.flatMap((template, index) => {
    if (!isMap(template)) return [];
    const name = isMap(template.metadata) && typeof template.metadata.name === 'string' ? template.metadata.name : '';
    return [readClaim(name, template.spec, ['spec', 'volumeClaimTemplates', index, 'spec'], problems)];
  });
}

function readClaim(name: string, spec: unknown, specPath: NodePath, problems: BudgetProblem[]): ClaimBudget {
  const claim: ClaimBudget = { name, path: specPath.slice(0, -1) };
  if (!isMap(spec)) return claim;
  if (typeof spec.storageClassName === 'string') claim.storageClassName = spec.storageClassName;
  const requests = isMap(spec.resources) && isMap(spec.resources.requests) ? spec.resources.requests : undefined;
  if (requests && requests.storage !== undefined) {
    const q = readQuantity(requests.storage, 'storage', [...specPath, 'resources', 'requests', 'storage'], problems);
    if (q) claim.storage = q;
  }
  return claim;
}
