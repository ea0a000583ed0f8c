// Each HelmRelease's chart, resolved as Flux resolves it: `spec.chart.spec` (a HelmRepository,
// GitRepository or Bucket sourceRef, its namespace the release's own unless written) or
// `spec.chartRef` (an OCIRepository, or a HelmChart whose own spec names the source); then the
// chart itself, from this repository (a GitRepository of this repository and a chart path) or the
// first offline ChartStore that has it. What cannot be resolved says why; nothing here is an error.
import { isOwnGitRepository, sourceKey, type SourceIndex } from '../flux';
import { joinRepoPath } from '../paths';
import { identifierOf } from '../values';
import type { HelmRelease, NodePath, Resource } from '../types';
import type { ChartResolution, ChartSourceRef, ChartStore, LoadedChart } from './types';

/** A HelmRelease's chart with where the release names it (for hover and findings). */
export interface ReleaseChart {
  release: HelmRelease;
  resolution: ChartResolution;
  /** `spec.chart` or `spec.chartRef`, whichever the release uses. */
  nodePath: NodePath;
}

export interface ChartInput {
  releases: readonly HelmRelease[];
  sources: SourceIndex;
  ownRepositories: Set<string>;
  /** The release's effective namespace (injected by kustomize or Flux), '' when unknown. */
  namespaceOf(release: HelmRelease): string;
  /** A chart folder of this repository (Chart.yaml in it), or why it is not one. */
  repositoryChart(folder: string): LoadedChart | { reason: string };
  /** A source's effective namespace (injected by kustomize or Flux, else its own), '' when unknown. */
  namespaceOfSource(source: Resource): string;
  /** Whether a repository-relative path is a folder of this repository. */
  isFolder(path: string): boolean;
  stores: readonly ChartStore[];
}

/** Every HelmRelease's chart, by the release's Resource. */
export function resolveCharts(input: ChartInput): Map<Resource, ReleaseChart> {
  const out = new Map<Resource, ReleaseChart>();
  const repositoryCharts = new Map<string, LoadedChart | { reason: string }>();
  const context: Context = {
    ...input,
    repositoryChart: (folder) => {
      let chart = repositoryCharts.get(folder);
      if (!chart) repositoryCharts.set(folder, (chart = input.repositoryChart(folder)));
      return chart;
    },
  };
  for (const release of input.releases) {
    const spec = release.resource.object?.spec ?? {};
    const nodePath: NodePath = spec.chartRef !== undefined && spec.chart === undefined ? ['spec', 'chartRef'] : ['spec', 'chart'];
    out.set(release.resource, { release, nodePath, resolution: resolveRelease(release, context) });
  }
  return out;
}

type Context = ChartInput;

function resolveRelease(release: HelmRelease, ctx: Context): ChartResolution {
  const spec = release.resource.object?.spec;
  if (!spec || typeof spec !== 'object') return { status: 'unresolved', reason: 'the HelmRelease has no spec' };
  const namespace = ctx.namespaceOf(release);
  if (spec.chartRef && typeof spec.chartRef === 'object') return resolveChartRef(spec.chartRef, namespace, ctx);
  const template = spec.chart?.spec;
  if (!template || typeof template !== 'object') return { status: 'unresolved', reason: 'neither spec.chart.spec nor spec.chartRef is set' };
  return resolveTemplate(template, namespace, 'spec.chart.spec', ctx);
}

/** `spec.chart.spec` of a HelmRelease, or a HelmChart's spec: chart, version and sourceRef. */
function resolveTemplate(template: any, namespace: string, where: string, ctx: Context): ChartResolution {
  const chart = typeof template.chart === 'string' ? template.chart.trim() : '';
  if (!chart) return { status: 'unresolved', reason: `${where}.chart is not set` };
  if (chart.includes('${')) return { status: 'unresolved', reason: `${where}.chart "${chart}" uses a variable that Flux substitutes later` };
  const version = typeof template.version === 'string' && template.version.trim() !== '' ? template.version.trim() : typeof template.version === 'number' ? String(template.version) : undefined;
  if (version?.includes('${')) return { status: 'unresolved', reason: `${where}.version "${version}" uses a variable that Flux substitutes later` };
  const ref = template.sourceRef;
  const kind = identifierOf(ref?.kind);
  const name = identifierOf(ref?.name);
  if (!kind || !name) return { status: 'unresolved', reason: `${where}.sourceRef has no kind and name` };
  const sourceNamespace = identifierOf(ref.namespace) ?? namespace;
  const source = findSource(ctx, kind, sourceNamespace, name, ref.namespace === undefined);
  const described = `${kind} ${sourceNamespace ? `${sourceNamespace}/` : ''}${name}`;
  switch (kind) {
    case 'HelmRepository': {
      if (!source) return { status: 'unresolved', reason: `its source ${described} is not defined in this repository` };
      const url = identifierOf(source.object?.spec?.url);
      if (!url) return { status: 'unresolved', reason: `its source ${described} has no spec.url` };
      if (url.includes('${')) return { status: 'unresolved', reason: `the URL of ${described} uses a variable that Flux substitutes later` };
      return fromStores({ kind: 'HelmRepository', url, chart, version: version ?? '*' }, ctx);
    }
    case 'GitRepository': {
      const own = source ? isOwnGitRepository(source, ctx.ownRepositories) : undefined;
      if (own === false) {
        const url = identifierOf(source!.object?.spec?.url);
        const sourceRef: ChartSourceRef = { kind: 'GitRepository', url, chart };
        if (url) return fromStores({ ...sourceRef, url }, ctx, `${described} is another repository or branch (${url})`);
        return { status: 'unresolved', source: sourceRef, reason: `${described} is another repository or branch` };
      }
      const folder = chartFolder(chart);
      const sourceRef: ChartSourceRef = { kind: 'GitRepository', chart };
      if (folder === undefined) return { status: 'unresolved', source: sourceRef, reason: `the chart path "${chart}" leaves the repository` };
      // A GitRepository not defined here is taken to be this repository only when the path is a chart of it.
      if (!source && !ctx.isFolder(folder)) return { status: 'unresolved', source: sourceRef, reason: `its source ${described} is not defined in this repository and "${chart}" is not a folder of it` };
      const loaded = ctx.repositoryChart(folder);
      if ('reason' in loaded) return { status: 'unresolved', source: sourceRef, reason: loaded.reason };
      return { status: 'resolved', source: sourceRef, chart: loaded };
    }
    case 'Bucket':
      return { status: 'unresolved', source: { kind: 'Bucket', chart }, reason: `charts from a Bucket (${described}) are not read` };
    default:
      return { status: 'unresolved', reason: `its source kind ${kind} cannot hold a chart (HelmRepository, GitRepository or Bucket)` };
  }
}

function resolveChartRef(ref: any, namespace: string, ctx: Context): ChartResolution {
  const kind = identifierOf(ref.kind);
  const name = identifierOf(ref.name);
  if (!kind || !name) return { status: 'unresolved', reason: 'spec.chartRef has no kind and name' };
  const sourceNamespace = identifierOf(ref.namespace) ?? namespace;
  const source = findSource(ctx, kind, sourceNamespace, name, ref.namespace === undefined);
  const described = `${kind} ${sourceNamespace ? `${sourceNamespace}/` : ''}${name}`;
  if (kind === 'OCIRepository') {
    if (!source) return { status: 'unresolved', reason: `its source ${described} is not defined in this repository` };
    const spec = source.object?.spec ?? {};
    const url = identifierOf(spec.url);
    if (!url) return { status: 'unresolved', reason: `its source ${described} has no spec.url` };
    if (url.includes('${')) return { status: 'unresolved', reason: `the URL of ${described} uses a variable that Flux substitutes later` };
    const chart = url.replace(/\/+$/, '').split('/').pop() ?? url;
    const version = identifierOf(spec.ref?.semver) ?? identifierOf(spec.ref?.tag) ?? (spec.ref?.digest ? undefined : 'latest');
    // Pinned by digest alone, the version is not known before the artifact is pulled.
    if (version === undefined) return { status: 'unresolved', source: { kind: 'OCIRepository', url, chart }, reason: `${described} is pinned by digest only, so its chart version is not known here` };
    return fromStores({ kind: 'OCIRepository', url, chart, version }, ctx);
  }
  if (kind === 'HelmChart') {
    if (!source) return { status: 'unresolved', reason: `its source ${described} is not defined in this repository` };
    // A HelmChart's sourceRef is in the HelmChart's own namespace.
    return resolveTemplate(source.object?.spec ?? {}, source.namespace || sourceNamespace, `HelmChart ${name} spec`, ctx);
  }
  return { status: 'unresolved', reason: `spec.chartRef kind ${kind} is not read (OCIRepository or HelmChart)` };
}

/**
 * The source of that kind, namespace and name; when neither the release nor its reference names a
 * namespace (a kustomization sets it later), the one source of that kind and name.
 */
function findSource(ctx: Context, kind: string, namespace: string, name: string, unnamespaced: boolean): Resource | undefined {
  const exact = ctx.sources.get(sourceKey(kind, namespace, name));
  if (exact) return exact;
  // The source index keys sources by their written namespace; a kustomization may set it.
  const named = [...ctx.sources.values()].filter((s) => s.kind === kind && s.name === name);
  const here = named.filter((s) => ctx.namespaceOfSource(s) === namespace);
  if (here.length > 0 || namespace !== '' || !unnamespaced) return here[0];
  return named.length === 1 ? named[0] : undefined;
}

function fromStores(ref: ChartSourceRef & { url: string }, ctx: Context, notHere?: string): ChartResolution {
  for (const store of ctx.stores) {
    let chart: LoadedChart | undefined;
    try {
      chart = store.find(ref);
    } catch {
      chart = undefined;
    }
    if (chart) return { status: 'resolved', source: ref, chart };
  }
  const what = `chart ${ref.chart}${ref.version ? ` ${ref.version}` : ''} from ${ref.url}`;
  const where = ctx.stores.length > 0 ? `no chart cache (${ctx.stores.map((s) => s.name).join(', ')}) has it` : 'no chart cache is in use';
  return { status: 'unresolved', source: ref, reason: `${notHere ? `${notHere}; ` : ''}${what}: ${where} (\`gitops-guardrails charts pull\` fetches it)` };
}

/** A chart path of a GitRepository (`./charts/app`) as a repository folder. */
function chartFolder(chart: string): string | undefined {
  return joinRepoPath('', chart);
}
