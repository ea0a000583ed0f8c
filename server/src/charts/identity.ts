// What identifies a chart across sources: the repository URL and the chart's name. An
// OCIRepository's URL is the chart's artifact itself; a HelmRepository of type OCI gives a
// registry path the chart's name is appended to; an HTTP repository serves an index.yaml.
import type { ChartSourceRef } from '../model/charts/types';

export interface ChartIdentity {
  /** The repository URL, without trailing slashes. */
  repository: string;
  chart: string;
  /** `oci://…` artifact reference (without tag) for OCI sources; undefined for HTTP repositories. */
  artifact?: string;
}

export function chartIdentity(ref: ChartSourceRef & { url: string }): ChartIdentity {
  const repository = ref.url.trim().replace(/\/+$/, '');
  if (ref.kind === 'OCIRepository') {
    return { repository, chart: repository.split('/').pop() ?? ref.chart, artifact: repository };
  }
  const chart = ref.chart.split('/').pop() ?? ref.chart;
  if (/^oci:\/\//i.test(repository)) return { repository, chart, artifact: `${repository}/${chart}` };
  return { repository, chart };
}

/** A version safe to use as a file name (semver's characters only). */
export function safeVersion(version: string): boolean {
  return /^[0-9A-Za-z][0-9A-Za-z.+_-]{0,127}$/.test(version);
}
