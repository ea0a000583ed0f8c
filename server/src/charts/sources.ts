// Each HelmRelease's chart source, as far as fetching needs it (the repository URL, the chart and
// its version constraint): read from the model's one chart resolver (model/charts/resolve.ts).
import type { ChartSourceRef } from '../model/charts/types';
import type { RepoModel } from '../model/model';
import type { HelmRelease } from '../model/types';

export interface ReleaseChartSource {
  release: HelmRelease;
  source?: ChartSourceRef;
  /** Why there is no source to fetch from (the resolver's reason when it did not resolve). */
  reason?: string;
}

export function chartSources(model: RepoModel): ReleaseChartSource[] {
  return [...model.charts.values()].map(({ release, resolution }) => ({
    release,
    source: resolution.source,
    reason: resolution.status === 'unresolved' ? resolution.reason : `its chart is already here (${resolution.chart.origin.kind})`,
  }));
}
