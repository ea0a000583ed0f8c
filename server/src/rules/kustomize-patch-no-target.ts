import { fluxBuild, type PatchCandidate, type PatchUse } from '../model/build';
import { editDistance } from '../model/distance';
import type { FluxKustomization } from '../model/types';
import { sourceRange, sourceResource } from './build-locations';
import { replaceNode } from './edits';
import type { FileChange, Rule, RuleFinding } from './types';

type TargetField = 'group' | 'version' | 'kind' | 'name' | 'namespace';
const FIELDS: readonly TargetField[] = ['kind', 'name', 'group', 'version', 'namespace'];

/** A selector value kustomize reads as a regular expression rather than a plain name. */
const REGEX = /[\\^$.*+?()[\]{}|]/;

function valueOf(c: PatchCandidate, field: TargetField): string {
  const slash = c.apiVersion.indexOf('/');
  if (field === 'group') return slash < 0 ? '' : c.apiVersion.slice(0, slash);
  if (field === 'version') return slash < 0 ? c.apiVersion : c.apiVersion.slice(slash + 1);
  return c[field];
}

function fieldMatches(wanted: string, actual: string): boolean {
  if (wanted === actual) return true;
  if (!REGEX.test(wanted)) return false;
  try {
    return new RegExp(`^(?:${wanted})$`).test(actual);
  } catch {
    return false;
  }
}

/** The fields of the target that the candidate does not match. */
function differences(use: PatchUse, c: PatchCandidate): TargetField[] {
  return FIELDS.filter((f) => typeof use.target[f] === 'string' && use.target[f] !== '' && !fieldMatches(use.target[f]!, valueOf(c, f)));
}

/** The closest object: fewest differing fields, then the smallest edit distance on kind and name. */
function closest(use: PatchUse): PatchCandidate | undefined {
  let best: { c: PatchCandidate; score: number } | undefined;
  for (const c of use.candidates ?? []) {
    const diff = differences(use, c);
    const distance = diff
      .filter((f) => f === 'kind' || f === 'name')
      .reduce((sum, f) => sum + editDistance(use.target[f]!.slice(0, 256), valueOf(c, f).slice(0, 256)), 0);
    const score = diff.length * 1000 + distance;
    if (!best || score < best.score) best = { c, score };
  }
  return best?.c;
}

/** A near miss: the kind or the name matches and what differs is a version, a group or a typo. */
function nearMiss(use: PatchUse, c: PatchCandidate, diff: readonly TargetField[]): boolean {
  if (diff.length === 0 || diff.some((f) => REGEX.test(use.target[f]!))) return false;
  if (diff.includes('kind') && diff.includes('name')) return false;
  return diff.every((f) => f === 'version' || f === 'group' || editDistance(use.target[f]!, valueOf(c, f)) <= Math.max(2, Math.floor(use.target[f]!.length / 3)));
}

/**
 * A selector without a name is a patch for whatever matches (a label an app opts in with, every
 * HelmRelease of a folder that may have none): matching nothing is how it is used. It is judged
 * only when an object of its kind is there at another version or group (the object moved on).
 */
function meantForAnObject(use: PatchUse): boolean {
  if (!use.selector || use.target.name) return true;
  if (use.target.labelSelector || use.target.annotationSelector) return false;
  return (use.candidates ?? []).some((c) => {
    const diff = differences(use, c);
    return diff.length > 0 && diff.every((f) => f === 'version' || f === 'group');
  });
}

function describe(use: PatchUse): string {
  const parts = FIELDS.filter((f) => use.target[f]).map((f) => `${f}: ${use.target[f]}`);
  if (use.target.labelSelector) parts.push(`labelSelector: ${use.target.labelSelector}`);
  if (use.target.annotationSelector) parts.push(`annotationSelector: ${use.target.annotationSelector}`);
  return `{${parts.join(', ')}}`;
}

const objectText = (c: PatchCandidate) => `${c.kind} ${c.namespace ? `${c.namespace}/` : ''}${c.name} (${c.apiVersion})`;

function keyOf(use: PatchUse): string {
  return `${use.source.file}\n${use.source.index ?? 0}\n${JSON.stringify(use.source.nodePath ?? [])}`;
}

export const kustomizePatchNoTarget: Rule = {
  id: 'kustomize/patch-no-target',
  defaultSeverity: 'error',
  description: 'A patch (kustomize patches, patchesStrategicMerge, patchesJson6902, or a Flux Kustomization\'s spec.patches) whose target matches no object.',
  help:
    'A patch with a `target:` selector that selects nothing is skipped by kustomize without a word: the build succeeds and the change never reaches the cluster (a target still naming `version: v2beta1` after the object moved to `v2`, a renamed object). A strategic-merge patch without a target that matches no object makes kustomize refuse the whole build, so the Flux Kustomization applies nothing. A patch is judged in every build that applies it (a base, a component); it is reported only where it reaches nothing in all of them, and not at all where something it could target is unresolved (a remote base, a Helm chart). spec.patches that a parent Kustomization writes into its children are templates for all of them and are not judged.',
  fix: 'Where the closest object differs only in its version, group, or by a typo: change the target to it.',
  check(model) {
    const uses = new Map<string, { use: PatchUse; ks: FluxKustomization; matched: boolean; incomplete: boolean }>();
    for (const ks of model.graph.fluxKustomizations) {
      if (ks.folder === undefined || !model.graph.clustersOf.has(ks.resource.file)) continue;
      const result = fluxBuild(model, ks);
      // spec.patches that the parent Kustomization writes into this one are a template for all
      // its children (a patch meant for whichever has a HelmRelease): not judged child by child.
      const inherited = ks.inheritedSpec !== undefined && 'patches' in ks.inheritedSpec;
      for (const use of result?.patches ?? []) {
        if (inherited && use.source.file === ks.resource.file && use.source.nodePath?.[0] === 'spec') continue;
        const key = keyOf(use);
        const seen = uses.get(key);
        // A `${VAR}` in the selector is substituted by the parent Kustomization: not judged here.
        const unknown = use.incomplete || Object.values(use.target).some((v) => typeof v === 'string' && v.includes('${'));
        if (!seen) uses.set(key, { use, ks, matched: use.matched > 0, incomplete: unknown });
        else {
          seen.matched ||= use.matched > 0;
          seen.incomplete ||= unknown;
        }
      }
    }
    const findings: RuleFinding[] = [];
    for (const { use, ks, matched, incomplete } of uses.values()) {
      if (matched || incomplete || model.file(use.source.file) === undefined || !meantForAnObject(use)) continue;
      const near = closest(use);
      const diff = near ? differences(use, near) : [];
      const where = `the build of ${ks.folder || '.'} (Kustomization ${ks.namespace}/${ks.name})`;
      const consequence = use.selector
        ? 'kustomize skips the patch without a word, so its change never reaches the cluster'
        : 'kustomize refuses the build, so the Kustomization applies nothing';
      const suggestion = !near ? '; nothing is built there to patch.' : nearMiss(use, near, diff) ? `; did you mean ${objectText(near)}?` : `; the closest object is ${objectText(near)}.`;
      const finding: RuleFinding = {
        file: use.source.file,
        range: sourceRange(model, use.source),
        message: `The patch target ${describe(use)} matches no object in ${where}: ${consequence}${suggestion}`,
      };
      if (near) {
        const resource = sourceResource(model, near.source);
        if (resource) finding.related = [{ file: near.source.file, range: near.source.nodePath ? sourceRange(model, near.source) : resource.range, message: `closest object: ${objectText(near)}` }];
      }
      const entry = sourceResource(model, use.source);
      if (near && entry && use.selector && use.source.nodePath && nearMiss(use, near, diff)) {
        const targetPath = [...use.source.nodePath, 'target'];
        const changes: FileChange[] = diff.map((f) => replaceNode(model, entry, [...targetPath, f], valueOf(near, f)));
        const edits = changes.flatMap((c) => (c.kind === 'edit' ? c.edits : []));
        finding.fixes = [
          {
            title: `Change the target to ${diff.map((f) => `${f} ${valueOf(near, f)}`).join(', ')}`,
            changes: [{ kind: 'edit', file: entry.file, edits }],
            safe: false,
            preferred: true,
          },
        ];
      }
      findings.push(finding);
    }
    return findings;
  },
};
