// The CustomResourceDefinitions a chart carries in `crds/` (its subcharts' included), parsed once
// per text so the objects keep their identity across re-derivations (the schema registry is kept
// while its CRD objects are the same).
import { parsePlainDocuments } from '../limits';
import type { LoadedChart } from './types';

const parsed = new Map<string, unknown[]>();

/** The chart's CRD objects (other documents of its crds/ files are left out). */
export function chartCrdObjects(chart: LoadedChart): unknown[] {
  const out: unknown[] = [];
  for (const file of chart.crds) {
    let objects = parsed.get(file.text);
    if (!objects) {
      objects = (parsePlainDocuments(file.text) ?? []).filter((d: any) => d?.kind === 'CustomResourceDefinition' && typeof d.spec?.group === 'string');
      if (parsed.size >= 256) parsed.delete(parsed.keys().next().value as string);
      parsed.set(file.text, objects);
    }
    out.push(...objects);
  }
  return out;
}

/** The API groups and kinds of a chart's CRDs. */
export function chartCrdKinds(chart: LoadedChart): { group: string; kind?: string }[] {
  return chartCrdObjects(chart).map((crd: any) => ({ group: crd.spec.group, kind: typeof crd.spec.names?.kind === 'string' ? crd.spec.names.kind : undefined }));
}
