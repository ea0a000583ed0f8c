// The schema registry of a model: Kubernetes, Flux and kustomization schemas, and the CRDs found
// in the repository and in resolved charts (schema/ validates; this decides which CRDs it knows). Read by the schema
// rules and by schema hover and completion.
import { SchemaRegistry } from '../schema/index';
import { chartCrdObjects } from './charts/crds';
import type { LoadedChart } from './charts/types';
import type { RepoModel } from './model';

/** The schema registry of a model, rebuilt only when its CustomResourceDefinitions change. */
export function registryFor(model: RepoModel): SchemaRegistry {
  // CRDs are part of the structure: while the derived graph stands, so does the registry.
  return model.queries.get('schema registry of graph', 'all', [model.graph], () => {
    const crds = customResourceDefinitions(model);
    // A rebuilt graph with the same CRD objects: the same registry (its validators compiled).
    return model.queries.get('schema registry', 'all', crds, () => {
      const registry = new SchemaRegistry();
      registry.addCustomResourceDefinitions(crds);
      return registry;
    });
  });
}

/** The CRD objects of the repository, then those of every resolved chart from outside it. */
function customResourceDefinitions(model: RepoModel): unknown[] {
  const crds: unknown[] = [];
  for (const file of model.files.values()) {
    for (const r of file.resources) if (r.kind === 'CustomResourceDefinition') crds.push(r.object);
  }
  // The CRDs of every resolved chart (from a cache; an in-repository chart's are files above).
  const charts = new Set<LoadedChart>();
  for (const { resolution } of model.charts.values()) if (resolution.status === 'resolved' && resolution.chart.origin.kind !== 'repository') charts.add(resolution.chart);
  for (const chart of charts) crds.push(...chartCrdObjects(chart));
  return crds;
}

