// What a Helm chart gives the model, wherever it was read from. Two parts meet here:
// - resolve.ts (in the model): a HelmRelease → its chart source → a chart in this repository, or
//   else the first ChartStore that has it; what cannot be resolved says why.
// - the stores (the user's Helm cache, our own cache filled by `charts pull`): offline lookups of
//   charts already on disk. Fetching fills our cache; it never runs inside a lookup.

/** A HelmRelease's chart source, as Flux resolves it. */
export interface ChartSourceRef {
  /** The source object's kind. */
  kind: 'HelmRepository' | 'GitRepository' | 'Bucket' | 'OCIRepository' | 'HelmChart';
  /** The source's URL (`https://…`, `oci://…`), when it has one. */
  url?: string;
  /** The chart's name (HelmRepository) or path (GitRepository, Bucket). */
  chart: string;
  /** The version or semver range asked for; undefined means the latest. */
  version?: string;
}

/** A chart's files the model reads. */
export interface LoadedChart {
  name: string;
  version: string;
  /** Where it was read from: a folder of this repository, or an archive / folder of a cache. */
  origin: { kind: 'repository' | 'helm-cache' | 'cache'; path: string };
  /** values.yaml as text (its comments document the values), when the chart has one. */
  valuesYaml?: string;
  /** values.schema.json, parsed, when the chart has one. */
  schema?: unknown;
  /**
   * The names (aliases) of its subcharts, whose values sit under those top-level keys; optional,
   * added after the first version of this contract (stores that leave it out: none known).
   */
  subcharts?: string[];
  /** The chart's `crds/` files (and its subcharts'), as text. */
  crds: { path: string; text: string }[];
}

export type ChartResolution =
  | { status: 'resolved'; source: ChartSourceRef; chart: LoadedChart }
  | { status: 'unresolved'; source?: ChartSourceRef; reason: string };

/** An offline store of charts (the Helm cache, our cache). Lookups are synchronous and never fetch. */
export interface ChartStore {
  readonly name: string;
  /** The highest version of `ref.chart` from `ref.url` that satisfies `ref.version`, or undefined. */
  find(ref: ChartSourceRef & { url: string }): LoadedChart | undefined;
}
