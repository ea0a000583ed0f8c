// Each HelmRelease's chart source, as far as fetching needs it (the repository URL, the chart and
// its version constraint).
// MERGE POINT: this is a stand-in for the model's chart resolver (server/src/model/charts/
// resolve.ts, issue 17). Once that lands, `chartSources` should map its ChartResolutions' `source`
// instead of reading the specs here; nothing else in charts/ reads HelmRelease specs.
import { sourceKey } from '../model/flux';
import type { ChartSourceRef } from '../model/charts/types';
import type { RepoModel } from '../model/model';
import type { HelmRelease, Resource } from '../model/types';

export interface ReleaseChartSource {
  release: HelmRelease;
  source?: ChartSourceRef;
  /** Why there is no source to fetch from. */
  reason?: string;
}

export function chartSources(model: RepoModel): ReleaseChartSource[] {
  const { sources, helmReleases } = model.graph;
  const find = (kind: string, namespace: string, name: string): Resource | undefined => {
    const exact = sources.get(sourceKey(kind, namespace, name));
    if (exact) return exact;
    const anywhere = [...sources.values()].filter((r) => r.kind === kind && r.name === name);
    return anywhere.length === 1 ? anywhere[0] : undefined;
  };
  return helmReleases.map((release): ReleaseChartSource => {
    const spec = release.resource.object?.spec ?? {};
    const namespace = release.namespace || release.resource.namespace || '';
    const chartSpec = spec.chart?.spec;
    if (chartSpec && typeof chartSpec === 'object') return fromChartSpec(release, chartSpec, namespace, find);
    const ref = spec.chartRef;
    if (ref && typeof ref === 'object' && typeof ref.name === 'string') {
      const kind = String(ref.kind ?? 'OCIRepository');
      const source = find(kind, typeof ref.namespace === 'string' ? ref.namespace : namespace, ref.name);
      if (!source) return { release, reason: `its chartRef ${kind} ${ref.name} is not in this repository` };
      if (kind === 'HelmChart') return fromChartSpec(release, source.object?.spec ?? {}, source.namespace || namespace, find);
      if (kind !== 'OCIRepository') return { release, reason: `chartRef kind ${kind} is not a chart source` };
      const url = source.object?.spec?.url;
      const ociRef = source.object?.spec?.ref ?? {};
      if (typeof url !== 'string' || hasVariable(url)) return { release, reason: `OCIRepository ${ref.name} has no URL known here` };
      const version = typeof ociRef.tag === 'string' ? ociRef.tag : typeof ociRef.semver === 'string' ? ociRef.semver : undefined;
      if (typeof ociRef.digest === 'string' && !version) return { release, reason: `OCIRepository ${ref.name} pins a digest, not a version` };
      return { release, source: { kind: 'OCIRepository', url, chart: url.replace(/\/+$/, '').split('/').pop() ?? ref.name, version } };
    }
    return { release, reason: 'it has neither spec.chart nor spec.chartRef' };
  });
}

function fromChartSpec(release: HelmRelease, chartSpec: any, namespace: string, find: (kind: string, namespace: string, name: string) => Resource | undefined): ReleaseChartSource {
  const chart = chartSpec.chart;
  const sourceRef = chartSpec.sourceRef ?? {};
  const kind = String(sourceRef.kind ?? 'HelmRepository');
  if (typeof chart !== 'string' || hasVariable(chart)) return { release, reason: 'its chart name is not known here' };
  const version = typeof chartSpec.version === 'string' || typeof chartSpec.version === 'number' ? String(chartSpec.version) : undefined;
  if (version && hasVariable(version)) return { release, reason: `its chart version "${version}" uses a variable` };
  if (kind === 'GitRepository' || kind === 'Bucket') return { release, source: { kind, chart, version }, reason: `its chart is in a ${kind}, not in a chart repository` };
  if (kind !== 'HelmRepository') return { release, reason: `sourceRef kind ${kind} is not a chart source` };
  const source = typeof sourceRef.name === 'string' ? find(kind, typeof sourceRef.namespace === 'string' ? sourceRef.namespace : namespace, sourceRef.name) : undefined;
  if (!source) return { release, reason: `its HelmRepository ${String(sourceRef.name)} is not in this repository` };
  const url = source.object?.spec?.url;
  if (typeof url !== 'string' || hasVariable(url)) return { release, reason: `HelmRepository ${source.name} has no URL known here` };
  return { release, source: { kind: 'HelmRepository', url, chart, version } };
}

function hasVariable(text: string): boolean {
  return text.includes('${');
}
