import { posix } from 'node:path';
import { fluxBuild, type Rendered } from '../model/build';
import { findKustomizationFile } from '../model/kustomize';
import { dirname, isWithin } from '../model/paths';
import { appendToList } from './edits';
import type { Fix, Rule, RuleFinding } from './types';

interface ObjectId {
  group: string;
  kind: string;
  name: string;
  namespace: string;
}

const SOURCE_GROUP = 'source.toolkit.fluxcd.io';

function isObject(o: Rendered, id: ObjectId): boolean {
  return o.kind === id.kind && o.name === id.name && o.namespace === id.namespace && o.apiVersion.startsWith(`${id.group}/`);
}

export const fluxRootNotSelfManaged: Rule = {
  id: 'flux/root-not-self-managed',
  defaultSeverity: 'warning',
  description: 'A cluster\'s root flux-system Kustomization whose build no longer applies the Kustomization itself or its source.',
  help:
    'A bootstrapped cluster manages Flux from its own repository: the flux-system Kustomization applies the cluster folder, which includes flux-system/gotk-sync.yaml, the Kustomization and the GitRepository themselves. When no Kustomization of the cluster applies them any more (the entry was removed from kustomization.yaml), Flux stops managing itself: changes to its sync settings in Git are never applied, and they drift from what runs. Clusters found from a FluxInstance or a HelmRelease are managed by their operator and not judged; a cluster with a build that cannot be fully seen is not judged either.',
  fix: 'Add the file (or its flux-system folder) back to the cluster folder\'s kustomization.yaml.',
  check(model) {
    const findings: RuleFinding[] = [];
    for (const cluster of model.graph.clusters) {
      if (cluster.rootKind !== 'flux-system') continue;
      const root = cluster.kustomizations[0];
      if (!root || root.resource.file !== cluster.rootFile) continue;
      const wanted: ObjectId[] = [{ group: 'kustomize.toolkit.fluxcd.io', kind: 'Kustomization', name: root.name, namespace: root.namespace }];
      const ref = root.resource.object?.spec?.sourceRef;
      if (ref && typeof ref.kind === 'string' && typeof ref.name === 'string') {
        wanted.push({ group: SOURCE_GROUP, kind: ref.kind, name: ref.name, namespace: typeof ref.namespace === 'string' ? ref.namespace : root.namespace });
      }
      // The source is judged only where the repository holds it (a bootstrap may create it out of band).
      const inRepository = (id: ObjectId) => id.group !== SOURCE_GROUP || [...model.files.values()].some((f) => f.resources.some((r) => r.kind === id.kind && r.name === id.name && r.apiVersion.startsWith(`${SOURCE_GROUP}/`)));
      const notBuilt = [...wanted];
      let complete = true;
      for (const ks of cluster.kustomizations) {
        const result = fluxBuild(model, ks);
        if (!result || result.error || result.unresolved.length > 0) complete = false;
        for (const o of result?.objects ?? []) {
          const i = notBuilt.findIndex((id) => isObject(o, id));
          if (i >= 0) notBuilt.splice(i, 1);
        }
        if (notBuilt.length === 0) break;
      }
      if (notBuilt.length === 0 || !complete) continue;
      // Whether a source is in the repository at all is asked only of what no build applies (it
      // reads every file: not on every check).
      const missing = notBuilt.filter(inRepository);
      if (missing.length === 0) continue;
      const what = missing.map((id) => `${id.kind} ${id.namespace}/${id.name}`).join(' and ');
      const finding: RuleFinding = {
        file: root.resource.file,
        range: model.rangeOf(root.resource, ['metadata', 'name']),
        message: `Cluster ${cluster.name} no longer applies its own ${what} (${root.resource.file}): no Kustomization of the cluster builds ${missing.length > 1 ? 'them' : 'it'}, so Flux stops managing itself and changes to its sync settings in Git are never applied.`,
      };
      const fixes = addBack(model, cluster.folder, root.resource.file);
      if (fixes) finding.fixes = fixes;
      findings.push(finding);
    }
    return findings;
  },
};

/** Lists the root's file (or its folder, when that has a kustomization) in the cluster folder's kustomization. */
function addBack(model: Parameters<Rule['check']>[0], folder: string, file: string): Fix[] | undefined {
  const kustomization = findKustomizationFile(model, folder);
  const resource = kustomization ? model.file(kustomization)?.resources[0] : undefined;
  if (!kustomization || !resource || !isWithin(file, folder)) return undefined;
  const own = dirname(file);
  const target = own !== folder && findKustomizationFile(model, own) ? own : file;
  const entry = posix.relative(folder, target);
  const listed: unknown = resource.object?.resources;
  if (Array.isArray(listed) && listed.some((e) => typeof e === 'string' && posix.normalize(e) === entry)) return undefined;
  const change = appendToList(model, resource, ['resources'], entry);
  return change ? [{ title: `Add ${entry} to ${kustomization}`, changes: [change], safe: false, preferred: true }] : undefined;
}
