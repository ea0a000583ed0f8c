// The build shown to people: what a Flux Kustomization applies in a cluster, or what kustomize
// builds of a kustomization folder, as the YAML the CLI's `render` prints (model/build/output.ts),
// from the work tree or from the last commit (gitHead.ts).
import { buildKustomization, modelBuildInput, renderCluster, type BuildInput, type BuildResult } from '../model/build';
import { KUSTOMIZATION_FILE_NAMES } from '../model/build/kustomization';
import { renderedYaml, sourceLine } from '../model/build/output';
import { isFluxKustomization } from '../model/flux';
import type { RepoModel } from '../model/model';
import { basename, dirname } from '../model/paths';
import type { FluxKustomization } from '../model/types';
import type { RenderParams, RenderResult } from '../protocol';
import { readingHead, type HeadTree } from '../gitHead';

export type RenderTarget = { kustomization: string; cluster: string } | { folder: string };

/** What a request asks to render, or why there is nothing to render there. */
export function renderTarget(model: RepoModel, file: string, params: Pick<RenderParams, 'position' | 'kustomization' | 'cluster'>): RenderTarget | string {
  const resources = (model.file(file)?.resources ?? []).filter(isFluxKustomization);
  const ksAt = (index: number) => model.graph.fluxKustomizations.find((k) => k.resource.file === file && k.resource.index === index);
  let ks: FluxKustomization | undefined;
  if (params.kustomization === undefined && params.position) {
    const line = params.position.line;
    const at = resources.find((r) => r.range.start.line <= line && line <= r.range.end.line);
    if (at) ks = ksAt(at.index);
  }
  // A kustomization.yaml renders its folder; another file its first Flux Kustomization.
  if (params.kustomization === undefined && ks === undefined && !KUSTOMIZATION_FILE_NAMES.includes(basename(file)) && resources.length > 0) ks = ksAt(resources[0].index);
  const id = params.kustomization ?? (ks ? `${ks.namespace}/${ks.name}` : undefined);
  if (id !== undefined) {
    // Two clusters often have Kustomizations of the same name in different files: this file's first.
    const named = model.graph.clusters.filter((c) => c.kustomizations.some((k) => `${k.namespace}/${k.name}` === id));
    const own = named.filter((c) => c.kustomizations.some((k) => k.resource.file === file && `${k.namespace}/${k.name}` === id));
    const clusters = own.length > 0 ? own : named;
    if (clusters.length === 0) return `No cluster applies the Flux Kustomization ${id}.`;
    const cluster = params.cluster === undefined ? clusters[0] : clusters.find((c) => c.name === params.cluster);
    if (!cluster) return `Cluster ${params.cluster} does not apply the Flux Kustomization ${id} of ${file}; ${clusters.map((c) => c.name).join(', ')} ${clusters.length > 1 ? 'do' : 'does'}.`;
    return { kustomization: id, cluster: cluster.name };
  }
  if (KUSTOMIZATION_FILE_NAMES.includes(basename(file))) return { folder: dirname(file) };
  return 'Nothing to render here: open a Flux Kustomization or a kustomization.yaml.';
}

export function targetTitle(target: RenderTarget): string {
  return 'folder' in target ? target.folder || '.' : `${target.kustomization} in ${target.cluster}`;
}

/** The text of one build: what stops or limits it as `#` lines, then its objects. */
function buildText(model: RepoModel, result: BuildResult | undefined, kustomization: string | undefined, why: string | undefined): string {
  const lines: string[] = [];
  if (!result) lines.push(`# Cannot be rendered: ${why ?? 'its folder is not known'}.`);
  else if (result.error) {
    const where = sourceLine(model, { source: result.error.source } as Parameters<typeof sourceLine>[1]);
    lines.push(`# kustomize refuses this build: ${result.error.message} (${where})`);
  } else for (const u of result.unresolved) lines.push(`# Incomplete: ${u.reason} (${u.source.file})`);
  const objects = result && !result.error ? renderedYaml(model, result.objects, kustomization) : '';
  if (result && !result.error && result.objects.length === 0) lines.push('# No objects.');
  return (lines.length > 0 ? `${lines.join('\n')}\n` : '') + objects;
}

/** Renders a target in a model (the work tree's, or HEAD's with its git input). */
export function renderIn(model: RepoModel, target: RenderTarget, input: BuildInput = modelBuildInput(model)): string {
  if ('folder' in target) {
    if (model.kindOf(target.folder) !== 'folder' && target.folder !== '') return `# ${target.folder} does not exist here.\n`;
    return buildText(model, buildKustomization(input, target.folder), undefined, undefined);
  }
  const cluster = model.graph.clusters.find((c) => c.name === target.cluster);
  if (!cluster) return `# No cluster ${target.cluster} here.\n`;
  const [render] = renderCluster(model, cluster, target.kustomization, input);
  if (!render) return `# Cluster ${target.cluster} has no Flux Kustomization ${target.kustomization} here.\n`;
  return buildText(model, render.result, target.kustomization, render.kustomization.unresolvedReason);
}

/** The answer to a render request, given the work tree's model and, for `ref: 'HEAD'`, the last commit's (read by git, asynchronously). */
export async function render(model: RepoModel, file: string, params: RenderParams, head?: () => Promise<HeadTree | string> | string): Promise<RenderResult | string> {
  const target = renderTarget(model, file, params);
  if (typeof target === 'string') return target;
  const title = targetTitle(target);
  if (params.ref !== 'HEAD') return { title, target, text: renderIn(model, target) };
  const tree = (await head?.()) ?? 'HEAD cannot be read here';
  if (typeof tree === 'string') return { title: `${title} (HEAD)`, target, text: `# HEAD cannot be rendered: ${tree}.\n` };
  return { title: `${title} (HEAD ${tree.commit.slice(0, 7)})`, target, text: await readingHead(tree, () => renderIn(tree.model, target, tree.input)) };
}
