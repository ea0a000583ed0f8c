import { fluxBuild, substitutionOptedOut, type BuildResult } from '../model/build';
import { parseExpressions } from '../model/build/envsubst';
import { effectiveSpec } from '../model/flux';
import type { RepoModel } from '../model/model';
import { stringLeaves } from '../model/values';
import type { FluxKustomization, NodePath, Resource, YamlFile } from '../model/types';
import { onePerKey } from './once';
import type { Rule, RuleFinding } from './types';

export const fluxInvalidSubstitution: Rule = {
  id: 'flux/invalid-substitution',
  defaultSeverity: 'error',
  description: 'A ${...} that Flux post-build substitution cannot parse, or a variable no substitute/substituteFrom of the applying Kustomization provides.',
  help:
    'A Kustomization with spec.postBuild replaces ${VAR} in every manifest it applies. A malformed expression fails the whole build (error); a variable that neither postBuild.substitute nor the ConfigMaps and Secrets of substituteFrom provide, and that has no default (${VAR:=default}), becomes an empty string (warning). $${VAR} escapes. Variables are known only when every substituteFrom source is in the repository.',
  fix: '—',
  check(model) {
    const parts: Array<Array<{ key: string; finding: RuleFinding }>> = [];
    // ConfigMaps and Secrets by kind and name: names are structure, so found once per graph.
    const sources = variableSources(model);
    for (const ks of model.graph.fluxKustomizations) {
      // Specs are structure: a Kustomization without postBuild stays without while the graph stands.
      if (!hasPostBuild(model, ks)) continue;
      const provided = providedVariables(model, ks, sources);
      if (!provided) continue;
      // Reused while the variables, the build and every file the Kustomization applies are unchanged.
      const signature = `${provided.complete}\n${provided.sources}\n${[...provided.names].join(',')}`;
      const built = fluxBuild(model, ks);
      parts.push(model.queries.get('flux/invalid-substitution of', ks, [signature, built], (read) => problemsOf(model, ks, provided, built, read.file)));
    }
    // The same array as last time while every Kustomization's findings are; each problem once.
    const found = model.queries.joined('flux/invalid-substitution', parts);
    return model.queries.get('flux/invalid-substitution once', found, [], () => onePerKey(found));
  },
};

function hasPostBuild(model: RepoModel, ks: FluxKustomization): boolean {
  return model.queries.get('flux/invalid-substitution postBuild', ks, [], () => !!effectiveSpec(ks).postBuild);
}

/**
 * The substitution problems in what one Kustomization applies, with a key that identifies each;
 * `fileOf` reads the files it applies (a query's reads).
 */
function problemsOf(
  model: RepoModel,
  ks: FluxKustomization,
  provided: Provided,
  built: BuildResult | undefined,
  fileOf: (path: string) => YamlFile | undefined,
): Array<{ key: string; finding: RuleFinding }> {
  const found: Array<{ key: string; finding: RuleFinding }> = [];
  const optedOut = optedOutDocuments(built);
  for (const file of ks.appliedFiles) {
    const yaml = fileOf(file);
    if (model.graph.patchFiles.has(file)) continue;
    for (const resource of yaml?.resources ?? []) {
      const asBuilt = optedOut.get(`${file}#${resource.index}`);
      if (asBuilt ?? substitutionDisabled(resource)) continue;
      for (const [path, text] of stringLeaves(resource.object, [])) {
        for (const problem of problemsIn(text, provided.names, provided.complete)) {
          found.push({
            key: `${file}#${resource.index}#${path.join('/')}#${problem.expression}`,
            finding: {
              file,
              range: model.rangeOfText(resource, path, problem.expression),
              severity: problem.kind === 'syntax' ? 'error' : 'warning',
              message:
                problem.kind === 'syntax'
                  ? `${problem.expression} is not a valid Flux substitution (${problem.reason}); the build of Kustomization ${ks.name} fails. Use \${NAME}, \${NAME:=default}, or $\${...} for a literal.`
                  : `${problem.expression} is not provided by Kustomization ${ks.name} (${provided.sources}) and has no default: Flux replaces it with an empty string.`,
            },
          });
        }
      }
    }
  }
  return found;
}

interface Provided {
  names: Set<string>;
  /** Every source is known, so a missing name is really missing. */
  complete: boolean;
  sources: string;
}

/** The variables a Kustomization substitutes, its own postBuild merged with what its parent's patches add. */
export function providedVariables(model: RepoModel, ks: FluxKustomization, objects: Map<string, Resource[]>): Provided | undefined {
  const postBuilds: any[] = [];
  let complete = true;
  const spec = effectiveSpec(ks);
  if (spec.postBuild) postBuilds.push(spec.postBuild);
  if (postBuilds.length === 0) return undefined;
  const names = new Set<string>();
  const sources: string[] = [];
  for (const postBuild of postBuilds) {
    if (postBuild.substitute && typeof postBuild.substitute === 'object') {
      for (const name of Object.keys(postBuild.substitute)) names.add(name);
      sources.push('postBuild.substitute');
    }
    for (const from of Array.isArray(postBuild.substituteFrom) ? postBuild.substituteFrom : []) {
      const object = findObject(model, objects.get(`${String(from?.kind ?? '')}/${String(from?.name ?? '')}`) ?? [], ks.namespace, ks);
      sources.push(`${from?.kind} ${from?.name}`);
      if (!object) {
        complete = false;
        continue;
      }
      for (const field of ['data', 'stringData']) for (const name of Object.keys(object.object[field] ?? {})) names.add(name);
    }
  }
  return { names, complete, sources: [...new Set(sources)].join(', ') || 'postBuild' };
}

/** Every v1 ConfigMap and Secret, by `Kind/name` (the same Resource objects while the graph stands). */
function variableSources(model: RepoModel): Map<string, Resource[]> {
  return model.queries.get('flux/invalid-substitution sources', 'all', [model.graph], () => indexVariableSources(model));
}

function indexVariableSources(model: RepoModel): Map<string, Resource[]> {
  const byName = new Map<string, Resource[]>();
  for (const r of model.resources()) {
    if (r.apiVersion !== 'v1' || (r.kind !== 'ConfigMap' && r.kind !== 'Secret')) continue;
    const key = `${r.kind}/${r.name}`;
    byName.set(key, [...(byName.get(key) ?? []), r]);
  }
  return byName;
}

/** The ConfigMap or Secret a Kustomization reads variables from: the one its own cluster applies. */
function findObject(model: RepoModel, named: readonly Resource[], namespace: string, ks: FluxKustomization): Resource | undefined {
  const clusters = model.graph.clustersOf.get(ks.resource.file) ?? new Set<string>();
  const candidates: Resource[] = [];
  for (const r of named) {
    // Where it lands in the Kustomization's clusters (in every one, when none of those applies it).
    const inClusters = model.placementsOf(r, clusters);
    const placements = inClusters.length > 0 ? inClusters : model.placementsOf(r);
    // One whose namespace the build cannot say may be the one read: which object it is, is unknown.
    if (placements.some((p) => p.namespace === undefined)) return undefined;
    if (placements.some((p) => p.namespace === '' || p.namespace === namespace)) candidates.push(r);
  }
  const sameCluster = candidates.filter((r) => [...(model.graph.clustersOf.get(r.file) ?? [])].some((c) => clusters.has(c)));
  if (sameCluster.length === 1) return sameCluster[0];
  // Several clusters' objects and none of this one: which applies is unknown.
  return candidates.length === 1 ? candidates[0] : undefined;
}

/**
 * Whether Flux substitutes each document the build emits (by `file#index`), read from the objects
 * as built: a kustomization's commonAnnotations or labels may opt a document out. True only when
 * every object made of the document opts out.
 */
function optedOutDocuments(built: BuildResult | undefined): Map<string, boolean> {
  const result = new Map<string, boolean>();
  for (const o of built?.objects ?? []) {
    if (o.source.index === undefined) continue;
    const key = `${o.source.file}#${o.source.index}`;
    result.set(key, (result.get(key) ?? true) && substitutionOptedOut(o.object));
  }
  return result;
}

/** The document's own opt-out, for a document the build gave no object for (a refused build). */
function substitutionDisabled(resource: Resource): boolean {
  const key = 'kustomize.toolkit.fluxcd.io/substitute';
  const metadata = resource.object.metadata ?? {};
  return metadata.annotations?.[key] === 'disabled' || metadata.labels?.[key] === 'disabled';
}

interface Problem {
  kind: 'syntax' | 'undefined';
  expression: string;
  reason?: string;
}

/** The substitution problems of one text, read with the build's parser of `${...}` (model/build/envsubst.ts). */
export function problemsIn(text: string, provided: Set<string>, complete: boolean): Problem[] {
  const problems: Problem[] = [];
  for (const e of parseExpressions(text)) {
    if (e.invalid) {
      // An expression never closed is quoted by its first characters.
      const expression = e.end === text.length && text[e.end - 1] !== '}' ? text.slice(e.start, Math.min(text.length, e.start + 24)) : text.slice(e.start, e.end);
      problems.push({ kind: 'syntax', expression, reason: e.invalid });
    } else if (complete && e.argument === undefined && !provided.has(e.name)) problems.push({ kind: 'undefined', expression: text.slice(e.start, e.end) });
  }
  return problems;
}
