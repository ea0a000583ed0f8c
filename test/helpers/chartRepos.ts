// Repositories with Helm charts for the chart tests: inline files written to a temporary folder
// (values.schema.json is read from disk, as the model reads every non-YAML file) and set in a
// model; the fixture charts of test/fixtures/charts; a tiny ChartStore reading fixture folders.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { RepoModel } from '../../server/src/model/model';
import { isYamlPath } from '../../server/src/model/parse';
import type { ChartSourceRef, ChartStore, LoadedChart } from '../../server/src/model/charts/types';
import { RULE_IDS } from '../../server/src/rules';
import { yaml } from './repo';

export const CHART_FIXTURES = join(__dirname, '..', 'fixtures', 'charts');

/** The files of a fixture chart, under `folder` of a repository. */
export function fixtureChart(name: string, folder: string): Record<string, string> {
  const root = join(CHART_FIXTURES, name);
  const out: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const full = join(dir, entry);
      if (statSync(full).isDirectory()) walk(full);
      else out[`${folder}/${relative(root, full).split('\\').join('/')}`] = readFileSync(full, 'utf8');
    }
  };
  walk(root);
  return out;
}

const made: string[] = [];
process.on('exit', () => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

/** A model of the given files, written to a temporary folder (removed when the process exits). */
export function chartRepo(files: Record<string, string>, stores: ChartStore[] = []): RepoModel {
  const root = mkdtempSync(join(tmpdir(), 'gg-charts-'));
  made.push(root);
  const model = new RepoModel(root, RULE_IDS);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, dirname(path)), { recursive: true });
    writeFileSync(join(root, path), text);
    model.setFile(path, isYamlPath(path) ? text : null);
  }
  if (stores.length > 0) model.setChartStores(stores);
  return model;
}

/** A store of fixture charts served for one URL: what a Helm cache or our cache answers offline. */
export function fixtureStore(url: string, charts: Record<string, string>): ChartStore & { asked: ChartSourceRef[] } {
  const asked: ChartSourceRef[] = [];
  return {
    name: 'fixture store',
    asked,
    find(ref) {
      asked.push(ref);
      if (ref.url !== url || !charts[ref.chart]) return undefined;
      const folder = join(CHART_FIXTURES, charts[ref.chart]);
      const metadata = readFileSync(join(folder, 'Chart.yaml'), 'utf8');
      const version = /^version: (.*)$/m.exec(metadata)![1].trim();
      const read = (name: string) => {
        try {
          return readFileSync(join(folder, name), 'utf8');
        } catch {
          return undefined;
        }
      };
      const schema = read('values.schema.json');
      const crds = readdirSyncSafe(join(folder, 'crds')).map((f) => ({ path: `crds/${f}`, text: readFileSync(join(folder, 'crds', f), 'utf8') }));
      const chart: LoadedChart = { name: ref.chart, version, origin: { kind: 'cache', path: folder }, valuesYaml: read('values.yaml'), crds };
      if (schema) chart.schema = JSON.parse(schema);
      return chart;
    },
  };
}

function readdirSyncSafe(dir: string): string[] {
  try {
    return readdirSync(dir).sort();
  } catch {
    return [];
  }
}

/** A HelmRelease in namespace `apps` of a chart from a GitRepository path or a HelmRepository. */
export function helmRelease(name: string, chart: { path: string } | { chart: string; repository: string; version?: string }, values = ''): string {
  const source =
    'path' in chart
      ? `      chart: ${chart.path}\n      sourceRef:\n        kind: GitRepository\n        name: flux-system\n        namespace: flux-system\n`
      : `      chart: ${chart.chart}\n${chart.version ? `      version: "${chart.version}"\n` : ''}      sourceRef:\n        kind: HelmRepository\n        name: ${chart.repository}\n`;
  return (
    yaml`
      apiVersion: helm.toolkit.fluxcd.io/v2
      kind: HelmRelease
      metadata:
        name: ${name}
        namespace: apps
      spec:
        interval: 1h
        chart:
          spec:
    ` +
    source +
    (values ? `  values:\n${values.replace(/^/gm, '    ').replace(/ +$/gm, '')}` : '')
  );
}
