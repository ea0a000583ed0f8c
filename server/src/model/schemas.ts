// The schema registry of a model: Kubernetes, Flux and kustomization schemas, and the CRDs found
// in the repository and in resolved charts (schema/ validates; this decides which CRDs it knows). Read by the schema
// rules and by schema hover and completion.
import { SchemaRegistry } from '../schema/index';
import { chartCrdObjects } from './charts/crds';
import type { LoadedChart } from './charts/types';
import type { RepoModel } from './model';

interface ModelSchemas {
  crds: unknown[];
  registry: SchemaRegistry;
}

const registries = new WeakMap<RepoModel, ModelSchemas>();

/** The schema registry of a model, rebuilt only when its CustomResourceDefinitions change. */
export function registryFor(model: RepoModel): SchemaRegistry {
  // CRDs are part of the structure: while the derived graph stands, so does the registry.
  const byGraph = registryByGraph.get(model.graph);
  if (byGraph) return byGraph;
  const crds: unknown[] = [];
  for (const file of model.files.values()) {
    for (const r of file.resources) if (r.kind === 'CustomResourceDefinition') crds.push(r.object);
  }
  // The CRDs of every resolved chart (from a cache; an in-repository chart's are files above).
  const charts = new Set<LoadedChart>();
  for (const { resolution } of model.charts.values()) if (resolution.status === 'resolved' && resolution.chart.origin.kind !== 'repository') charts.add(resolution.chart);
  for (const chart of charts) crds.push(...chartCrdObjects(chart));
  const cached = registries.get(model);
  if (cached && cached.crds.length === crds.length && cached.crds.every((c, i) => c === crds[i])) {
    registryByGraph.set(model.graph, cached.registry);
    return cached.registry;
  }
  const registry = new SchemaRegistry();
  registry.addCustomResourceDefinitions(crds);
  registries.set(model, { crds, registry });
  registryByGraph.set(model.graph, registry);
  return registry;
}

const registryByGraph = new WeakMap<object, SchemaRegistry>();

