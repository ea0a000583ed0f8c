// The chart behind a HelmRelease document, for hover and completion inside `spec.values` and the
// hover on `spec.chart`: the model's resolution (`model.releaseChart`, which remembers the last one
// while the document does not parse).
import { MarkupKind, type Hover } from 'vscode-languageserver';
import type { RepoModel } from '../model/model';
import type { ReleaseChart } from '../model/charts/resolve';
import type { Range } from '../model/types';
import { valuesDisplayRoot } from '../schema/values';
import type { SchemaRoot } from '../schema/walk';

/** The schema of the values of the HelmRelease `name` in `file`, when its chart is resolved. */
export function valuesRootOf(model: RepoModel, file: string, name: string): SchemaRoot | undefined {
  const chart = model.releaseChart(file, name);
  if (chart?.resolution.status !== 'resolved') return undefined;
  const loaded = chart.resolution.chart;
  return valuesDisplayRoot(loaded.name, loaded.valuesYaml, loaded.schema);
}

const ORIGIN: Record<string, string> = { repository: 'this repository', 'helm-cache': 'the Helm cache', cache: 'the chart cache' };

/** Hover on `spec.chart` / `spec.chartRef`: the chart resolved (name, version, origin) or why not. */
export function chartHover(chart: ReleaseChart, range: Range): Hover {
  const { resolution } = chart;
  const source = resolution.source;
  const from = source ? `${source.kind}${source.url ? ` \`${source.url}\`` : ''}${source.version && source.kind !== 'GitRepository' ? ` · version \`${source.version}\`` : ''}` : undefined;
  const lines: string[] = [];
  if (resolution.status === 'resolved') {
    const c = resolution.chart;
    lines.push(`**Chart** \`${c.name}\`${c.version ? ` ${c.version}` : ''}`);
    lines.push(`From ${ORIGIN[c.origin.kind] ?? c.origin.kind}: \`${c.origin.path || '.'}\``);
    if (from) lines.push(`Source: ${from}`);
    const checks = c.schema !== undefined ? 'values.schema.json' : c.valuesYaml !== undefined ? 'the keys of values.yaml' : undefined;
    if (checks) lines.push(`Values are checked against ${checks}.`);
    if (c.crds.length > 0) lines.push(`CRDs: ${c.crds.slice(0, 5).map((f) => `\`${f.path}\``).join(', ')}${c.crds.length > 5 ? ` and ${c.crds.length - 5} more` : ''}`);
  } else {
    lines.push(`**Chart** unresolved: ${resolution.reason}.`);
    if (from) lines.push(`Source: ${from}`);
    lines.push('Its values are not checked.');
  }
  return { contents: { kind: MarkupKind.Markdown, value: lines.join('\n\n') }, range };
}
