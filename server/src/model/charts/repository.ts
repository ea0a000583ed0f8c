// A chart folder of this repository as a LoadedChart: Chart.yaml, values.yaml (from the model),
// values.schema.json (from disk: the model keeps only YAML text), and the CRDs of its `crds/`
// folder and of its subcharts' (`charts/<name>/crds/`).
import { plainValue } from '../limits';
import type { FileTree } from '../kustomize';
import type { YamlFile } from '../types';
import type { LoadedChart } from './types';

export interface ChartFiles extends FileTree {
  file(path: string): YamlFile | undefined;
  /** A non-YAML file's text, or undefined when it cannot be read. */
  readText(path: string): string | undefined;
}

export function loadRepositoryChart(files: ChartFiles, folder: string): LoadedChart | { reason: string } {
  const at = (name: string) => (folder === '' ? name : `${folder}/${name}`);
  const where = folder === '' ? 'the repository root' : folder;
  if (files.kindOf(folder) !== 'folder' && folder !== '') return { reason: `the chart folder ${where} does not exist in this repository` };
  const metadataPath = ['Chart.yaml', 'Chart.yml'].map(at).find((p) => files.kindOf(p) === 'file');
  if (!metadataPath) return { reason: `${where} has no Chart.yaml: it is not a chart` };
  const metadataFile = files.file(metadataPath);
  const metadata = metadataFile?.documents[0] && metadataFile.syntaxErrorCount === 0 ? plainValue(metadataFile.documents[0]) : undefined;
  if (!metadata || typeof metadata !== 'object') return { reason: `${metadataPath} does not parse` };
  const name = typeof metadata.name === 'string' ? metadata.name : folder.split('/').pop() || 'chart';
  const version = metadata.version === undefined ? '' : String(metadata.version);
  const valuesPath = ['values.yaml', 'values.yml'].map(at).find((p) => files.kindOf(p) === 'file');
  const chart: LoadedChart = { name, version, origin: { kind: 'repository', path: folder }, crds: [] };
  const dependencies = Array.isArray(metadata.dependencies) ? metadata.dependencies : [];
  const subcharts = new Set<string>(files.children(at('charts')).folders.map((sub) => sub.slice(sub.lastIndexOf('/') + 1)));
  for (const d of dependencies) {
    const named = typeof d?.alias === 'string' ? d.alias : d?.name;
    if (typeof named === 'string') subcharts.add(named);
  }
  if (subcharts.size > 0) chart.subcharts = [...subcharts].sort();
  if (valuesPath) chart.valuesYaml = files.file(valuesPath)?.text;
  const schemaPath = at('values.schema.json');
  if (files.kindOf(schemaPath) === 'file') {
    const text = files.readText(schemaPath);
    try {
      if (text !== undefined) chart.schema = JSON.parse(text);
    } catch {
      // A schema Helm cannot read fails the install itself; the values are then judged without it.
    }
  }
  const crdFolders = [at('crds'), ...files.children(at('charts')).folders.map((sub) => `${sub}/crds`)];
  for (const crds of crdFolders) {
    for (const path of filesBelow(files, crds)) {
      if (!/\.ya?ml$/.test(path)) continue;
      const text = files.file(path)?.text;
      if (text !== undefined) chart.crds.push({ path, text });
    }
  }
  return chart;
}

/** Every file below a folder, sorted, without recursion. */
function filesBelow(tree: FileTree, folder: string): string[] {
  if (tree.kindOf(folder) !== 'folder') return [];
  const out: string[] = [];
  const stack = [folder];
  while (stack.length > 0) {
    const current = stack.pop()!;
    const { files, folders } = tree.children(current);
    out.push(...files);
    stack.push(...folders);
  }
  return out.sort();
}
