// The repository model: parsed files plus lazily derived graphs. A changed, created or deleted
// file re-parses that file only; derived graphs are rebuilt only when a file's structure changed.
import type { ChartStore } from './charts/types';
import { loadRepositoryChart } from './charts/repository';
import { chartCrdKinds } from './charts/crds';
import { resolveCharts, type ReleaseChart } from './charts/resolve';
import { readFileSync } from 'node:fs';
import { DEAD_PATH } from './roots';
import { constants as fsConstants, promises as fs } from 'node:fs';
import { configPathProblems, CONFIG_FILE, DEFAULT_CONFIG, ignoreMatcher, readConfig, usableConfig, type ConfigProblem, type GuardrailsConfig } from './config';
import { deriveGraph, type RepoGraph } from './graph';
import type { FileTree, PathKind } from './kustomize';
import { deriveLayers, type LayerModel } from './layers';
import { bootstrapGroups, findCrdInstallers, type CrdInstaller } from './crds';
import { sourceKey } from './flux';
import { chartFolderOf, chartShapeOf, isChartFile, type FileKind, type FileShape } from './fileKinds';
import { findKustomizationFile } from './kustomize';
import { deriveDependencies, type Dependencies } from './dependencies';
import { fluxBuild, newBuildGeneration, rootBuild } from './build/cache';
import { isKustomizationFileName, isYamlPath, parsedData, parseYamlFile, withLazyDocuments } from './parse';
import type { ParseCache } from './parse-cache';
import { plainValue } from './limits';
import { ancestors, dirname, isWithin, toAbsolute } from './paths';
import { parseInWorkers, parseWorkerCount } from './parse-pool';
import { nodeAt, rangeAtPath, rangeFromOffsets } from './positions';
import { describeFileError, scanWorkspace, type UnreadablePath } from './scan';
import type { Component, NodePath, Range, Resource, YamlFile } from './types';
import { Queries } from './query';

/** One answer to where a document lands (RepoModel.placementsOf). */
export interface Placement {
  /** The namespace, '' for none (a cluster-scoped kind, or nothing sets one); undefined when unknown. */
  namespace?: string;
  /** Why the build cannot say (set exactly when namespace is undefined). */
  unknown?: string;
  /** The clusters that give this answer; empty for a document no cluster applies (its own namespace). */
  clusters: string[];
}

/**
 * The namespaces of some placements as people read them: each known one, in order, joined with
 * ', ' (an object two clusters put in different namespaces shows both); undefined when none is
 * known (unknown, or no namespace).
 */
export function namespacesText(placements: readonly Placement[]): string | undefined {
  const names = [...new Set(placements.flatMap((p) => (p.namespace ? [p.namespace] : [])))].sort();
  return names.length > 0 ? names.join(', ') : undefined;
}

/** How many changed paths the model remembers for `changedSince`. */
const CHANGE_LOG_LIMIT = 4096;

export interface LoadOptions {
  /** Parse workers to use whatever the workspace's size (0: parse on this thread); tests. */
  parseWorkers?: number;
  /** The parse worker's script instead of the bundled one (tests). */
  parseWorkerScript?: string;
  /** Files parsed by an earlier run (model/parse-cache.ts): those unchanged are not parsed again; every file parsed is recorded in it. */
  cache?: ParseCache;
}

export class RepoModel implements FileTree {
  readonly root: string;
  private readonly yaml = new Map<string, YamlFile>();
  /** Every file of the workspace (YAML or not), repository-relative. */
  private readonly allFiles = new Set<string>();
  /** How often each non-YAML file was read again (its text is not kept): a build that read it compares this. */
  private readonly otherFileVersions = new Map<string, number>();
  /** Folder → number of files below it, so folders vanish with their last file. */
  private readonly folderCounts = new Map<string, number>();
  private readonly childrenCache = new Map<string, { files: string[]; folders: string[] }>();
  private readonly structureKeys = new Map<string, string>();
  private derived?: {
    graph: RepoGraph;
    layers: LayerModel;
    crdInstallers?: Map<string, CrdInstaller[]>;
    bootstrapGroups?: Map<string, string>;
    listedBy?: Map<string, string>;
    generatorData?: Map<string, string>;
    fileKinds?: Map<string, { file: YamlFile; kind: FileKind }>;
    dependencies?: Dependencies;
    charts?: Map<Resource, ReleaseChart>;
    /** The config's problems, those about folders of this tree included. */
    configProblems?: ConfigProblem[];
  };
  private configState?: { config: GuardrailsConfig; problems: ConfigProblem[]; ignored: (p: string) => boolean };
  private readonly knownRuleIds: ReadonlySet<string>;
  /** Counts setFile calls that changed something; `changedSince` answers from the log below. */
  private revisionCounter = 0;
  /** The paths changed at each revision (oldest first), trimmed to the last CHANGE_LOG_LIMIT. */
  private readonly changeLog: string[] = [];
  /** What could not be read (folders, files, .gitignore patterns): reported, never skipped silently. */
  private readonly unreadablePaths = new Map<string, UnreadablePath[]>();
  private unreadableList?: readonly UnreadablePath[];
  private chartStoreList: readonly ChartStore[] = [];
  /** The chart last resolved for each release (`file\0name`): a document being typed does not parse. */
  private readonly lastReleaseCharts = new Map<string, ReleaseChart>();
  /** The components of the last derivation: the next keeps them while they are equal (keepComponents). */
  private lastComponents?: Component[];
  /** What rules, features and derivations reuse between checks (query.ts): invalidated by this model's change log. */
  readonly queries: Queries = new Queries(this);

  constructor(root: string, knownRuleIds: ReadonlySet<string> = new Set()) {
    this.root = root;
    this.knownRuleIds = knownRuleIds;
  }

  /**
   * Scans and parses the whole workspace from disk. A large workspace is parsed by worker threads
   * (parse-pool.ts), its files applied in the scan's order all the same; `options.parseWorkers`
   * forces their number (0: on this thread).
   */
  static async load(root: string, knownRuleIds?: ReadonlySet<string>, onProgress?: (done: number, total: number) => void, options: LoadOptions = {}): Promise<RepoModel> {
    const model = new RepoModel(root, knownRuleIds);
    const { files, unreadable } = await scanWorkspace(root);
    for (const problem of unreadable) model.addUnreadable(problem);
    const yamlPaths = files.filter(isYamlPath);
    const { cache } = options;
    // A warm cache leaves little to parse: the main thread reads, hashes and parses the rest.
    const workers = cache && cache.size > 0 ? 0 : parseWorkerCount(yamlPaths.length, options.parseWorkers);
    if (workers > 0) {
      await model.loadParsed(files, yamlPaths, workers, options.parseWorkerScript, onProgress, cache);
      onProgress?.(files.length, files.length);
      return model;
    }
    let done = 0;
    // Reads run 32 at a time: one at a time the event loop, not the disk, is the bottleneck.
    for (let start = 0; start < files.length; start += 32) {
      const batch = files.slice(start, start + 32);
      const texts = await Promise.all(batch.map((path) => (isYamlPath(path) ? fs.readFile(toAbsolute(root, path), 'utf8').catch((error: unknown) => ({ error })) : null)));
      batch.forEach((path, i) => {
        const text = texts[i];
        if (text !== null && typeof text === 'object') model.markUnreadable(path, text.error);
        else if (typeof text === 'string') model.setParsedFile(cache?.get(path, text) ?? withLazyDocuments(parsedData(cache ? cached(cache, parseYamlFile(path, text)) : parseYamlFile(path, text))));
        else model.setFile(path, text);
      });
      done += batch.length;
      if (onProgress && Math.floor(done / 200) !== Math.floor((done - batch.length) / 200)) onProgress(done, files.length);
    }
    onProgress?.(files.length, files.length);
    return model;
  }

  /** Records `files` as the workers parse their YAML files, in the order of `files`. */
  private async loadParsed(files: readonly string[], yamlPaths: readonly string[], workers: number, script: string | undefined, onProgress?: (done: number, total: number) => void, cache?: ParseCache): Promise<void> {
    const unreadable: string[] = [];
    // null: parsed, but the file could not be read (skipped, as load does without workers).
    const parsed: (YamlFile | null | undefined)[] = new Array(yamlPaths.length);
    let next = 0;
    let nextYaml = 0;
    const apply = () => {
      for (; next < files.length; next++) {
        const path = files[next];
        if (isYamlPath(path)) {
          const file = parsed[nextYaml];
          if (file === undefined) return;
          parsed[nextYaml++] = null;
          if (file) this.setParsedFile(file);
          else unreadable.push(path);
        } else this.setFile(path, null);
        if (onProgress && (next + 1) % 200 === 0) onProgress(next + 1, files.length);
      }
    };
    await parseInWorkers(
      this.root,
      yamlPaths,
      workers,
      (index, file) => {
        parsed[index] = file ? (cache ? cached(cache, file) : file) : null;
        if (index === nextYaml) apply();
      },
      script,
    );
    apply();
    // A worker says only that it could not read a file; why, is asked here (rare).
    for (const path of unreadable) {
      await fs.access(toAbsolute(this.root, path), fsConstants.R_OK).then(
        () => this.markUnreadable(path, new Error('read failed')),
        (error: unknown) => this.markUnreadable(path, error),
      );
    }
  }

  /**
   * A file that exists but cannot be read: known to exist (so nothing calls it missing), without
   * content, and reported. Reading it again (setFile with its text) clears that.
   */
  markUnreadable(path: string, error: unknown): void {
    this.setFile(path, null);
    this.addUnreadable({ path, message: `This file cannot be read: ${describeFileError(error)}. It is not checked.` });
  }

  private addUnreadable(problem: UnreadablePath): void {
    const list = this.unreadablePaths.get(problem.path) ?? [];
    if (list.some((p) => p.message === problem.message && p.line === problem.line)) return;
    this.unreadablePaths.set(problem.path, [...list, problem]);
    this.unreadableList = undefined;
  }

  /** Folders, files and .gitignore patterns that could not be read, by path. */
  get unreadable(): readonly UnreadablePath[] {
    this.unreadableList ??= [...this.unreadablePaths.values()].flat().sort((a, b) => a.path.localeCompare(b.path) || (a.line ?? -1) - (b.line ?? -1));
    return this.unreadableList;
  }

  /**
   * Records a file's new content: text for a YAML file, null for a file whose content does not
   * matter (only its existence), undefined for a deleted file.
   */
  setFile(path: string, text: string | null | undefined): void {
    if (text !== null && this.unreadablePaths.delete(path)) this.unreadableList = undefined;
    if (text === undefined) {
      if (!this.allFiles.has(path)) return;
      this.logChange(path);
      this.allFiles.delete(path);
      this.otherFileVersions.delete(path);
      this.yaml.delete(path);
      this.structureKeys.delete(path);
      this.countFolders(path, -1);
      this.invalidate(path, true);
      if (isChartFile(path)) this.reclassifyChart(dirname(path));
      return;
    }
    if (text === null || !isYamlPath(path)) {
      if (!this.addPath(path)) {
        this.logChange(path);
        this.invalidate(path, true);
      } else {
        // Read again (a save, a watcher's event): its bytes may differ, and a build may have read
        // them (a generator's input), so what was derived from them is derived again.
        this.otherFileVersions.set(path, (this.otherFileVersions.get(path) ?? 0) + 1);
        this.logChange(path);
        this.invalidate(path, true);
      }
      return;
    }
    this.setParsedFile(parseYamlFile(path, text));
  }

  /** Records a parsed YAML file: setFile's parse, or a parse worker's (RepoModel.load). */
  private setParsedFile(file: YamlFile): void {
    const path = file.path;
    const existed = this.addPath(path);
    // A chart's templates and values are not manifests, whatever they look like.
    const chart = this.chartShape(path);
    if (file.resources.length > 0 && chart) file.resources = [];
    this.logChange(path);
    const previous = this.yaml.get(path);
    // Nothing derived reads a template's text: editing one rebuilds no graph.
    const template = chart?.kind === 'template' || (file.shape.kind === 'template' && !file.shape.tool);
    const key = template ? 'template' : structureKey(file);
    const changed = !existed || this.structureKeys.get(path) !== key;
    if (!changed && previous && previous.resources.length === file.resources.length) {
      // The derived graphs keep pointing at the previous Resource objects: refresh them in place
      // so that ranges and contents seen through the graph are the new ones.
      file.resources = file.resources.map((fresh, i) => Object.assign(previous.resources[i], fresh));
    }
    this.yaml.set(path, file);
    this.structureKeys.set(path, key);
    this.invalidate(path, changed);
    if (!existed && isChartFile(path)) this.reclassifyChart(dirname(path));
  }

  /** What a Chart.yaml above a path makes of it (a template, values), or undefined. */
  private chartShape(path: string): FileShape | undefined {
    if (isChartFile(path)) return undefined;
    const chart = chartFolderOf(path, (p) => this.allFiles.has(p));
    return chart === undefined ? undefined : chartShapeOf(path, chart);
  }

  /** A Chart.yaml came or went: the files below it are parsed again, so their resources follow. */
  private reclassifyChart(folder: string): void {
    const prefix = folder === '' ? '' : `${folder}/`;
    for (const [path, file] of [...this.yaml]) {
      if (!path.startsWith(prefix) || isChartFile(path)) continue;
      const templated = this.chartShape(path) !== undefined;
      if (templated ? file.resources.length > 0 : file.shape.kind === 'manifest' && file.resources.length === 0 && file.syntaxErrorCount === 0) this.setParsedFile(parseYamlFile(path, file.text));
    }
  }

  private logChange(path: string): void {
    this.revisionCounter++;
    this.changeLog.push(path);
    if (this.changeLog.length > CHANGE_LOG_LIMIT * 2) this.changeLog.splice(0, this.changeLog.length - CHANGE_LOG_LIMIT);
  }

  /** The offline chart stores (the Helm cache, our cache) the chart resolver reads after this repository. */
  get chartStores(): readonly ChartStore[] {
    return this.chartStoreList;
  }

  /** Replaces the chart stores: everything derived is recomputed, as after a change of every file. */
  setChartStores(stores: readonly ChartStore[]): void {
    this.chartStoreList = stores;
    this.derived = undefined;
    this.revisionCounter++;
    this.changeLog.length = 0;
  }

  /** The model's revision: it grows with every change of a file. */
  get revision(): number {
    return this.revisionCounter;
  }

  /**
   * The paths changed after `revision` (a path may repeat), or undefined when the log no longer
   * reaches back that far: the caller then treats every file as changed.
   */
  changedSince(revision: number): readonly string[] | undefined {
    const count = this.revisionCounter - revision;
    if (count < 0 || count > this.changeLog.length) return undefined;
    return this.changeLog.slice(this.changeLog.length - count);
  }

  /** Adds a file to the set of all files; true when it was there already. */
  private addPath(path: string): boolean {
    if (this.allFiles.has(path)) return true;
    this.allFiles.add(path);
    this.countFolders(path, +1);
    return false;
  }

  private invalidate(path: string, structural: boolean): void {
    if (path === CONFIG_FILE) this.configState = undefined;
    if (structural) {
      this.derived = undefined;
      this.childrenCache.clear();
    }
  }

  private countFolders(path: string, delta: number): void {
    for (const folder of ancestors(path)) {
      const count = (this.folderCounts.get(folder) ?? 0) + delta;
      if (count <= 0) this.folderCounts.delete(folder);
      else this.folderCounts.set(folder, count);
    }
  }

  // FileTree
  kindOf(repoPath: string): PathKind {
    if (this.allFiles.has(repoPath)) return 'file';
    if (this.folderCounts.has(repoPath)) return 'folder';
    return 'missing';
  }

  children(folder: string): { files: string[]; folders: string[] } {
    let cached = this.childrenCache.get(folder);
    if (cached) return cached;
    if (this.childrenCache.size === 0) this.indexChildren();
    cached = this.childrenCache.get(folder) ?? { files: [], folders: [] };
    return cached;
  }

  private indexChildren(): void {
    const entry = (folder: string) => {
      let e = this.childrenCache.get(folder);
      if (!e) this.childrenCache.set(folder, (e = { files: [], folders: [] }));
      return e;
    };
    for (const file of this.allFiles) entry(dirname(file)).files.push(file);
    for (const folder of this.folderCounts.keys()) if (folder !== '') entry(dirname(folder)).folders.push(folder);
    for (const e of this.childrenCache.values()) {
      e.files.sort();
      e.folders.sort();
    }
  }

  get files(): ReadonlyMap<string, YamlFile> {
    return this.yaml;
  }

  file(path: string): YamlFile | undefined {
    return this.yaml.get(path);
  }

  get folders(): string[] {
    return [...this.folderCounts.keys()].filter((f) => f !== '').sort();
  }

  get config(): GuardrailsConfig {
    return this.configuration().config;
  }

  /** What is wrong with `.gitops-guardrails.yaml`: its entries, and folders it names that do not exist. */
  get configProblems(): ConfigProblem[] {
    const { problems, config } = this.configuration();
    const derived = this.derive();
    if (!derived.configProblems) {
      const missing = configPathProblems(config, this, this.folders);
      derived.configProblems = missing.length > 0 ? [...problems, ...missing] : problems;
    }
    return derived.configProblems;
  }

  isIgnored(path: string): boolean {
    return this.configuration().ignored(path);
  }

  private configuration() {
    if (!this.configState) {
      const { config, problems } = readConfig(this.yaml.get(CONFIG_FILE), this.knownRuleIds);
      this.configState = { config, problems, ignored: ignoreMatcher(config) };
      // Layers and clusters depend on the configuration.
      this.derived = undefined;
    }
    return this.configState;
  }

  get graph(): RepoGraph {
    return this.derive().graph;
  }

  get layers(): LayerModel {
    return this.derive().layers;
  }

  /** What each dependsOn entry waits for: the one resolver of dependsOn names. */
  get dependencies(): Dependencies {
    const derived = this.derive();
    derived.dependencies ??= deriveDependencies(derived.graph);
    return derived.dependencies;
  }

  /**
   * Each HelmRelease's chart (charts/resolve.ts): from this repository, else the first chart store
   * that has it, else unresolved with the reason. Resolved once per derived graph.
   */
  get charts(): ReadonlyMap<Resource, ReleaseChart> {
    const derived = this.derive();
    derived.charts ??= resolveCharts({
      // A HelmRelease in a patch file is a patch, not a release.
      releases: derived.graph.helmReleases.filter((r) => !derived.graph.patchFiles.has(r.resource.file)),
      sources: derived.graph.sources,
      ownRepositories: derived.graph.ownRepositories,
      // Unknown, or different in the release's clusters: '' (resolve.ts says less).
      namespaceOf: (release) => this.namespaceOf(release.resource) ?? '',
      namespaceOfSource: (source) => this.namespaceOf(source) ?? '',
      repositoryChart: (folder) => loadRepositoryChart({ kindOf: (p) => this.kindOf(p), children: (f) => this.children(f), file: (p) => this.yaml.get(p), readText: (p) => this.readText(p) }, folder),
      isFolder: (p) => this.kindOf(p) === 'folder',
      stores: this.chartStoreList,
    });
    for (const [resource, chart] of derived.charts) this.lastReleaseCharts.set(`${resource.file}\0${resource.name}`, chart);
    return derived.charts;
  }

  /**
   * The chart of the HelmRelease `name` in `file`: as resolved now, else as last resolved (its
   * document does not parse while it is being typed); undefined for a release never seen.
   */
  releaseChart(file: string, name: string): ReleaseChart | undefined {
    for (const [resource, chart] of this.charts) if (resource.file === file && resource.name === name) return chart;
    if (!this.allFiles.has(file)) return undefined;
    return this.lastReleaseCharts.get(`${file}\0${name}`);
  }

  /** A file's text from disk (a non-YAML file: the model keeps only YAML text), or undefined. */
  readText(path: string): string | undefined {
    const bytes = this.readBytes(path);
    return bytes === undefined ? undefined : bytes.toString('utf8');
  }

  /** A file's bytes from disk, or undefined. */
  readBytes(path: string): Buffer | undefined {
    if (this.kindOf(path) !== 'file') return undefined;
    try {
      return readFileSync(toAbsolute(this.root, path));
    } catch {
      return undefined;
    }
  }

  /**
   * What a reader of a file compares to know whether it changed: the parsed file for YAML (a new
   * object whenever its text changes), a count of its re-reads for other files, or its absence.
   */
  contentState(path: string): unknown {
    const file = this.yaml.get(path);
    if (file) return file;
    const kind = this.kindOf(path);
    return kind === 'file' ? `file#${this.otherFileVersions.get(path) ?? 0}` : kind;
  }

  /** Who installs the CRDs of each API group (CRD manifests and well-known charts). */
  get crdInstallers(): Map<string, CrdInstaller[]> {
    const derived = this.derive();
    derived.crdInstallers ??= findCrdInstallers(
      this.resources(),
      [...derived.graph.kustomizeDirs.values()].flatMap((d) => (d.resource && d.entries.some((e) => e.exists === 'remote') ? [d.resource] : [])),
      derived.graph.helmReleases,
      derived.graph.sources,
      this.config.crdCharts,
      (release) => {
        const chart = this.charts.get(release.resource);
        return chart?.resolution.status === 'resolved' ? chartCrdKinds(chart.resolution.chart) : [];
      },
      // Flux Kustomizations whose source is another repository or artifact: what they name.
      derived.graph.fluxKustomizations.flatMap((ks) => {
        if (ks.folder !== undefined || ks.leavesRepository || !ks.sourceRef || derived.graph.patchFiles.has(ks.resource.file)) return [];
        const source = derived.graph.sources.get(sourceKey(ks.sourceRef.kind, ks.sourceRef.namespace, ks.sourceRef.name));
        if (!source) return [];
        const spec = source.object.spec ?? {};
        const texts = [ks.name, ks.path, spec.url, spec.ignore, spec.bucketName].filter((t): t is string => typeof t === 'string');
        return [{ resource: ks.resource, evidence: texts }];
      }),
    );
    return derived.crdInstallers;
  }

  /** API groups whose CRDs a bootstrap step (helmfile, unreachable CRD manifests) installs, with the file. */
  get bootstrapCrdGroups(): Map<string, string> {
    const derived = this.derive();
    if (!derived.bootstrapGroups) {
      // A chart's crds/ that a HelmRelease installs are the release's (crdInstallers), not a bootstrap step's.
      const installed = [...this.charts.values()].flatMap(({ resolution: r }) => (r.status === 'resolved' && r.chart.origin.kind === 'repository' ? [r.chart.origin.path] : []));
      derived.bootstrapGroups = bootstrapGroups(
        this.bootstrapFiles.filter((path) => !installed.some((chart) => isWithin(path, chart) && chartShapeOf(path, chart) === undefined)),
        (path) => (this.yaml.get(path)?.documents ?? []).filter((d) => d.errors.length === 0).map((d) => plainValue(d)),
        this.config.crdCharts,
      );
    }
    return derived.bootstrapGroups;
  }

  private derive() {
    // The configuration first: reading it anew drops the derived graphs.
    const configured = this.configuration().config ?? DEFAULT_CONFIG;
    if (!this.derived) {
      // A configured cluster whose folder does not exist is reported (configProblems), not built.
      const config = usableConfig(configured, this);
      // The graph asks for every build it needs: those asked for by nothing since the last derivation go.
      newBuildGeneration(this);
      const graph = deriveGraph({ files: this.yaml, tree: this, config, render: (folder, ks) => (ks ? fluxBuild(this, ks, folder) : rootBuild(this, folder)) });
      const layers = keepComponents(deriveLayers(this.yaml, this.folders, this, graph, config), this.lastComponents);
      this.lastComponents = layers.components;
      this.derived = { graph, layers };
    }
    return this.derived;
  }

  /**
   * What a YAML file is: applied (a cluster applies it, or a kustomization lists it), a manifest
   * no cluster applies, another tool's YAML, or a template; with the reason. Undefined for a path
   * that is not a YAML file of the workspace.
   */
  fileKind(path: string): FileKind | undefined {
    const file = this.yaml.get(path);
    if (!file) return undefined;
    const derived = this.derive();
    derived.fileKinds ??= new Map();
    // Kept while the derived graph and the parsed file are the same.
    const cached = derived.fileKinds.get(path);
    if (cached?.file === file) return cached.kind;
    const kind = this.classify(file, derived.graph);
    derived.fileKinds.set(path, { file, kind });
    return kind;
  }

  private classify(file: YamlFile, graph: RepoGraph): FileKind {
    const clusters = graph.clustersOf.get(file.path);
    if (clusters && clusters.size > 0) {
      const names = [...clusters].sort();
      return { kind: 'applied', reason: `${names.length > 1 ? 'clusters' : 'cluster'} ${names.join(', ')} ${names.length > 1 ? 'apply' : 'applies'} it` };
    }
    const listing = this.listedBy().get(file.path);
    if (listing) return { kind: 'applied', reason: `${listing} lists it (no cluster applies that kustomization)` };
    const shape = this.chartShape(file.path) ?? file.shape;
    if (shape.kind === 'manifest') return { kind: 'unapplied', reason: `${shape.reason}; no cluster applies it and no kustomization lists it` };
    return { kind: shape.kind, reason: shape.reason };
  }

  /**
   * The kustomization that reads a file as a configMapGenerator or secretGenerator input (`files:`,
   * `envs:`), when that is all kustomizations use it for: kustomize copies its text into the
   * object as data and never parses it as YAML. Undefined for any other file.
   */
  generatorData(path: string): string | undefined {
    const derived = this.derive();
    if (!derived.generatorData) {
      const data = new Map<string, string>();
      const other = new Set<string>();
      for (const dir of derived.graph.kustomizeDirs.values()) {
        for (const entry of dir.entries) {
          if (entry.exists !== 'file') continue;
          if ((entry.field === 'configMapGenerator' || entry.field === 'secretGenerator') && dir.file) {
            if (!data.has(entry.target)) data.set(entry.target, dir.file);
          } else other.add(entry.target);
        }
      }
      for (const path of other) data.delete(path);
      derived.generatorData = data;
    }
    return derived.generatorData.get(path);
  }

  /** Each file a kustomization names (a resource, patch or generator input), with that kustomization. */
  private listedBy(): Map<string, string> {
    const derived = this.derive();
    if (!derived.listedBy) {
      const listed = new Map<string, string>();
      for (const dir of derived.graph.kustomizeDirs.values()) {
        for (const entry of dir.entries) {
          const target = entry.exists === 'file' ? entry.target : entry.exists === 'folder' ? findKustomizationFile(this, entry.target) : undefined;
          if (target && dir.file && !listed.has(target)) listed.set(target, dir.file);
        }
      }
      derived.listedBy = listed;
    }
    return derived.listedBy;
  }

  /**
   * Files no cluster applies that a bootstrap step may use: manifests (CRDs, kustomize helmCharts)
   * and helmfiles; never templates or other tools' YAML.
   */
  get bootstrapFiles(): string[] {
    return this.graph.unreachable.filter((path) => {
      // Unreachable manifests: those nothing lists, and those only a kustomization no cluster
      // applies lists (`talos/kustomization.yaml` → `cni/`, built with --enable-helm at bootstrap).
      const kind = this.fileKind(path)?.kind;
      return kind === 'unapplied' || kind === 'applied' || this.yaml.get(path)?.shape.tool === 'helmfile';
    });
  }

  /**
   * Programs in the repository that install CRDs out of band, before Flux (a bootstrap script named
   * for them: `bootstrap-crds.sh`, `crds.ps1`...): which groups they install cannot be read here, so
   * the ordering rules say less where one exists. Dead folders are left out.
   */
  get opaqueCrdInstallers(): string[] {
    const installers: string[] = [];
    for (const path of this.allFiles) {
      if (DEAD_PATH.test(path)) continue;
      const name = path.slice(path.lastIndexOf('/') + 1);
      if (/(^|[-_.])crds?([-_.]|$)/i.test(name) && /\.(sh|bash|zsh|ps1|py)$/i.test(name)) installers.push(path);
    }
    return installers.sort();
  }

  /** All resources that are real objects (documents of patch files excluded). */
  *resources(): Iterable<Resource> {
    const patches = this.graph.patchFiles;
    for (const file of this.yaml.values()) {
      if (patches.has(file.path)) continue;
      yield* file.resources;
    }
  }

  /**
   * Where a resource lands, as the render engine builds it: in `clusters` (a cluster's name, or
   * several; by default every cluster that applies it). The namespace when each of them gives the
   * same answer ('' for none: a cluster-scoped kind, or nothing sets one); undefined when a build
   * cannot say (see `placementsOf` for why) or the clusters disagree — say nothing then, never
   * `default`. A document no cluster applies keeps its own (see ARCHITECTURE.md, "Where an
   * object's namespace comes from").
   */
  namespaceOf(resource: Resource, clusters?: string | Iterable<string>): string | undefined {
    const placements = this.placementsOf(resource, clusters);
    return placements.length === 1 ? placements[0].namespace : undefined;
  }

  /**
   * Each distinct answer to where a resource lands in `clusters` (by default every cluster that
   * applies it), with the clusters that give it: what a feature shows when clusters disagree. An
   * answer without a namespace is unknown, with the reason. Empty when none of `clusters` applies
   * it; a document no cluster applies gives its own namespace, with no cluster, whatever `clusters`.
   */
  placementsOf(resource: Resource, clusters?: string | Iterable<string>): Placement[] {
    const perCluster = this.graph.appliedNamespaces.get(resource);
    if (!perCluster || perCluster.size === 0) return [{ namespace: resource.namespace ?? '', clusters: [] }];
    const names = clusters === undefined ? perCluster.keys() : typeof clusters === 'string' ? [clusters] : clusters;
    const answers = new Map<string, Placement>();
    for (const name of names) {
      const applied = perCluster.get(name);
      if (!applied) continue;
      const key = applied.unknown !== undefined ? `?${applied.unknown}` : `=${applied.namespace}`;
      const answer = answers.get(key);
      if (answer) answer.clusters.push(name);
      else answers.set(key, applied.unknown !== undefined ? { unknown: applied.unknown, clusters: [name] } : { namespace: applied.namespace, clusters: [name] });
    }
    return [...answers.values()];
  }

  /** The range of `text` inside the value at `path` where the source spells it out, else the value's. */
  rangeOfText(resource: Resource, path: NodePath, text: string): Range {
    const file = this.yaml.get(resource.file);
    const doc = file?.documents[resource.index];
    const node = doc ? nodeAt(doc, path) : undefined;
    if (file && node?.range) {
      const at = file.text.slice(node.range[0], node.range[1]).indexOf(text);
      if (at >= 0) return rangeFromOffsets(file.lineStarts, node.range[0] + at, node.range[0] + at + text.length);
    }
    return this.rangeOf(resource, path);
  }

  /** The range of the node at `path` in a resource's document (nearest existing ancestor). */
  rangeOf(resource: Resource, path: NodePath, target: 'value' | 'key' = 'value'): Range {
    const file = this.yaml.get(resource.file);
    const doc = file?.documents[resource.index];
    return (file && doc && rangeAtPath(file.lineStarts, doc, path, target)) ?? resource.range;
  }
}

/**
 * The layers with the previous derivation's components when they are equal (same names, layers,
 * folders and namespaces, in the same order): the same array and the same objects, so what was
 * concluded per component (the namespaces they own, the namespace rules' values) holds across a
 * structural edit that did not change them.
 */
function keepComponents(layers: LayerModel, previous: Component[] | undefined): LayerModel {
  const next = layers.components;
  if (!previous || previous.length !== next.length || !next.every((c, i) => sameComponent(c, previous[i]))) return layers;
  const kept = new Map(next.map((c, i) => [c, previous[i]]));
  return { ...layers, components: previous, layers: layers.layers.map((l) => ({ ...l, components: l.components.map((c) => kept.get(c) ?? c) })) };
}

function sameComponent(a: Component, b: Component): boolean {
  const same = (x: readonly string[], y: readonly string[]) => x.length === y.length && x.every((v, i) => v === y[i]);
  return a.name === b.name && a.layer === b.layer && a.folder === b.folder && same(a.namespaces, b.namespaces) && same(a.ownNamespaces, b.ownNamespaces);
}

/**
 * What the derived graphs read from a file. Two versions of a file with the same key derive the
 * same graphs, so an edit inside a Deployment's spec does not rebuild them.
 */
function structureKey(file: YamlFile): string {
  // A file without objects (replacements, values, .sops.yaml) is read whole; so is a
  // kustomization.yaml, whose comments say which entries were switched off.
  if (file.resources.length === 0 || isKustomizationFileName(file.path)) return `raw:${file.text}`;
  const parts: unknown[] = [file.sopsEncrypted];
  for (const r of file.resources) {
    const o = r.object;
    const structural =
      r.apiVersion.includes('fluxcd.io') || r.kind === 'Namespace' || r.kind === 'Kustomization' || r.kind === 'Component' || r.kind === 'FluxInstance' || r.kind === 'CustomResourceDefinition';
    let facts: unknown = null;
    if (r.kind === 'HelmRelease') facts = [o.spec?.dependsOn ?? null, o.spec?.chart ?? null, o.spec?.chartRef ?? null, o.spec?.install?.createNamespace ?? null];
    else if (structural) facts = r.apiVersion.includes('fluxcd.io') ? o.spec : o;
    parts.push(r.apiVersion, r.kind, r.name, r.namespace ?? null, facts);
  }
  return JSON.stringify(parts);
}

/** Records a file just parsed in the parse cache, before the model sees (and may trim) it. */
function cached(cache: ParseCache, file: YamlFile): YamlFile {
  cache.put(parsedData(file));
  return file;
}
