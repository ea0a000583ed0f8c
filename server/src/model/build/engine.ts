// The kustomize build of one folder, following kustomize v5's KustTarget: resources (files and
// nested kustomizations), generators, components, then the transformers in kustomize's order;
// at the end content hashes and name references. Flux's way of loading applies: no load
// restrictor (files outside the folder are read), and a folder without a kustomization file is
// built from every manifest below it, as Flux generates a kustomization for it.
//
// A build also says which files it reached and in which role (BuildReach): the model's one answer
// to "which files does this folder's build reach". A refusal does not stop that walk: the first
// refusal is the result's error (objects stay empty, as kustomize applies nothing), and the build
// goes on entry by entry only to record what the folder is made of (see KustomizeBuilder.fail).
import { parseAllDocuments, type Document } from 'yaml';
import { readDocument } from '../limits';
import { isRemoteReference } from '../kustomize';
import { joinRepoPath } from '../paths';
import { configFromObject, defaultConfig, mergeConfig, type FieldSpec, type TransformerConfig } from './fieldSpecs';
import { generate } from './generators';
import { applyJsonPatch, JsonPatchError } from './json6902';
import { KUSTOMIZATION_FILE_NAMES, kustomizationOf, parseKustomization, stringList, type Decoding, type KustomizationSpec } from './kustomization';
import { mergeDefinitionOf, MergeError, strategicMerge } from './merge';
import { addHashes, fixNameReferences } from './nameReferences';
import { applyReplacement } from './replacements';
import { BuildFailure, curId, groupVersion, idText, sameId, storePreviousId, Unseen, type Res } from './resources';
import { addMapEntries, addNameAffix, selectResources, setImages, setNamespace, setReplicas, type Selector } from './transformers';
import { emptyReach, type BuildInput, type BuildReach, type BuildResult, type IgnoredField, type PatchUse, type SourceRef, type Unresolved } from './types';
import { readsDifferently, parseKustomizeYaml } from './yamlText';

/** Kustomizations nested deeper than this are not built here (unresolved): no recursion in proportion to the input. */
const MAX_NESTING = 200;

/** A document's value within the model's limits (limits.ts); over one, the build fails there as a YAML problem. */
function valueOf(doc: Document.Parsed | Document, source: SourceRef): any {
  const read = readDocument(doc);
  if (read.problem !== undefined) throw new BuildFailure(read.problem, source, 'yaml-syntax');
  return read.value;
}

interface Accumulator {
  resources: Res[];
  config: TransformerConfig;
}

/** Relative path from one repository folder to a repository path (for origin annotations). */
function relativeTo(from: string, to: string): string {
  const a = from === '' ? [] : from.split('/');
  const b = to === '' ? [] : to.split('/');
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return [...a.slice(i).map(() => '..'), ...b.slice(i)].join('/') || '.';
}

export class KustomizeBuilder {
  readonly reads = new Set<string>();
  readonly unresolved: Unresolved[] = [];
  readonly patches: PatchUse[] = [];
  /** Fields of the top kustomization that Flux drops before kustomize reads it (see kustomization.ts). */
  readonly ignored: IgnoredField[] = [];
  readonly reach: BuildReach = emptyReach();
  /** The first refusal (or unseen part that stopped the build), with what was unresolved and patched then. */
  private failure?: { error: BuildFailure | Unseen; unresolved: Unresolved[]; patches: PatchUse[] };
  /** Folders whose kustomization was accumulated: once refused, none is walked twice. */
  private readonly entered = new Set<string>();
  private readonly stack: string[] = [];
  /** The root folder of the build and whether it asks for origin annotations. */
  private root = '';
  private originAnnotations = false;

  constructor(private readonly input: BuildInput) {}

  kindOf(path: string) {
    this.reads.add(path);
    return this.input.kindOf(path);
  }

  /** Whether the build has been refused (it goes on only to record its reach). */
  get refused(): boolean {
    return this.failure !== undefined;
  }

  /**
   * Records a refusal, or an unseen part that stops the build: the first one is the result (the
   * build applies nothing), and the build goes on only to record what else it reaches.
   */
  fail(error: unknown): void {
    if (!(error instanceof BuildFailure) && !(error instanceof Unseen)) throw error;
    this.failure ??= { error, unresolved: [...this.unresolved], patches: [...this.patches] };
  }

  /** One entry of a kustomization: a refusal there is recorded, and the next entry is read. */
  private entry(step: () => void): void {
    try {
      step();
    } catch (error) {
      this.fail(error);
    }
  }

  /** A file the build reads in a role (a path that is no file is not reached). */
  private reached(role: keyof BuildReach, path: string): void {
    if (this.input.kindOf(path) === 'file') this.reach[role].add(path);
  }

  /** The result of the build, `resources` what it made (nothing once refused). */
  result(folder: string, resources: Res[]): BuildResult {
    const failure = this.failure;
    if (!failure) return { folder, objects: resources.map(toRendered), unresolved: this.unresolved, reads: this.reads, patches: this.patches, reach: this.reach, ...ignored(this) };
    const { error, unresolved, patches } = failure;
    if (error instanceof Unseen) return { folder, objects: [], unresolved: [...unresolved, { reason: error.message, source: error.source }], reads: this.reads, reach: this.reach, ...ignored(this) };
    // A refusal that follows something unseen may be caused by it: say less.
    if (unresolved.length > 0) return { folder, objects: [], unresolved, reads: this.reads, reach: this.reach, ...ignored(this) };
    return { folder, objects: [], error: { message: error.message, source: error.source, ...(error.code ? { code: error.code } : {}) }, unresolved: [], reads: this.reads, patches, reach: this.reach, ...ignored(this) };
  }

  text(path: string): string | undefined {
    this.reads.add(path);
    return this.input.yamlFile(path)?.text ?? this.input.readText(path);
  }

  /** A kustomization file: the model's parse of a YAML file, else its text parsed. */
  kustomization(file: string, decoding: Decoding = 'strict'): KustomizationSpec {
    this.reads.add(file);
    this.reach.kustomizationFiles.add(file);
    const yaml = this.input.yamlFile(file);
    return yaml ? kustomizationOf(yaml, { file }, decoding) : parseKustomization(this.input.readText(file) ?? '', { file }, decoding);
  }

  /** A file's bytes: the model's text of a YAML file (it may be newer than the disk), else the input's bytes. */
  bytes(path: string): Uint8Array | undefined {
    this.reads.add(path);
    const yaml = this.input.yamlFile(path)?.text;
    if (yaml !== undefined) return Buffer.from(yaml, 'utf8');
    if (this.input.readBytes) return this.input.readBytes(path);
    const text = this.input.readText(path);
    return text === undefined ? undefined : Buffer.from(text, 'utf8');
  }

  kustomizationFile(folder: string): string | undefined {
    const found = KUSTOMIZATION_FILE_NAMES.map((name) => (folder ? `${folder}/${name}` : name)).filter((p) => this.kindOf(p) === 'file');
    // Refused, but the first one is still what the folder is made of.
    if (found.length > 1) this.fail(new BuildFailure(`Found multiple kustomization files under: ${folder || '.'}`, { file: found[1] }));
    return found[0];
  }

  /**
   * kustomize's build of a kustomization folder, the top-level steps (hashes, name references)
   * included. `overlay` changes the top kustomization first (what Flux writes into it); a folder
   * without a kustomization file is built from the one Flux would generate, when `generate` is set.
   */
  build(folder: string, overlay?: (spec: KustomizationSpec) => void, generate = false): Res[] {
    this.root = folder;
    const found = this.kustomizationFile(folder);
    let spec: KustomizationSpec;
    let file: string;
    if (found) {
      file = found;
      // Under Flux (an overlay) the top file is decoded leniently: kustomize-controller rewrites it
      // without the fields kustomize does not know before kustomize reads it (kustomization.ts).
      spec = this.kustomization(file, overlay ? 'lenient' : 'strict');
      for (const field of spec.unknown ?? []) this.ignored.push({ field, source: { file, nodePath: [field] } });
    } else if (generate) {
      file = folder ? `${folder}/kustomization.yaml` : 'kustomization.yaml';
      spec = { fields: { resources: this.generatedResources(folder) }, keys: {}, isComponent: false, generated: true };
    } else {
      throw new BuildFailure(`unable to find one of ${KUSTOMIZATION_FILE_NAMES.map((n) => `'${n}'`).join(', ')} in directory '${folder || '.'}'`, { file: folder });
    }
    overlay?.(spec);
    // Flux rewrites the top kustomization before kustomize reads it, and recent kustomize-controllers
    // never leave it empty (fluxcd/pkg's generator adds to one with nothing in it): under Flux that
    // is no sure refusal, so only a plain build refuses it.
    if (overlay === undefined && isEmpty(spec)) throw new BuildFailure('kustomization.yaml is empty', { file });
    const metadata = spec.fields.buildMetadata;
    this.originAnnotations = Array.isArray(metadata) && metadata.includes('originAnnotations');
    if (spec.isComponent) this.fail(new BuildFailure(`expected kind != 'Component' for path '${folder}'`, { file }));
    this.entered.add(folder);
    const acc = this.accumulate(folder, file, spec, { resources: [], config: defaultConfig() });
    if (this.refused) return [];
    addHashes(acc.resources);
    fixNameReferences(acc.resources, acc.config.nameReference, { file });
    return acc.resources.filter((r) => r.object?.metadata?.annotations?.['config.kubernetes.io/local-config'] !== 'true');
  }

  /**
   * The resources of the kustomization Flux generates for a plain folder: every YAML file below
   * it, and each subfolder with a kustomization file as one entry (its files not read one by one).
   */
  private generatedResources(folder: string): string[] {
    const result: string[] = [];
    const walk = (dir: string) => {
      this.reads.add(`${dir}/`);
      const { files, folders } = this.input.children(dir);
      const entries = [...files.map((f) => ({ path: f, folder: false })), ...folders.map((f) => ({ path: f, folder: true }))].sort((a, b) => (a.path < b.path ? -1 : 1));
      for (const entry of entries) {
        const relative = folder === '' ? entry.path : entry.path.slice(folder.length + 1);
        if (entry.folder) {
          if (this.kustomizationFile(entry.path)) result.push(relative);
          else walk(entry.path);
        } else if (/\.ya?ml$/i.test(entry.path)) {
          const file = this.input.yamlFile(entry.path);
          this.reads.add(entry.path);
          if (file && file.syntaxErrors.length > 0) {
            // Refused, but still one of the folder's manifests (the others are reached as they are loaded, in order).
            this.reach.manifests.add(entry.path);
            this.fail(new BuildFailure(`failed to decode Kubernetes YAML from ${entry.path}: ${file.syntaxErrors[0].message}`, { file: entry.path }, 'yaml-syntax'));
          } else result.push(relative);
        }
      }
    };
    walk(folder);
    return result;
  }

  private accumulateDirectory(folder: string, from: SourceRef, component: boolean, parent?: Accumulator): Accumulator {
    if (this.stack.includes(folder)) throw new BuildFailure(`cycle detected: ${[...this.stack, folder].join(' → ')}`, from);
    if (this.stack.length >= MAX_NESTING) {
      this.reach.deferred.add(folder);
      throw new Unseen(`kustomizations nest deeper than ${MAX_NESTING} levels here: the rest is not built`, from);
    }
    const file = this.kustomizationFile(folder);
    if (!file) {
      throw new BuildFailure(`unable to find one of ${KUSTOMIZATION_FILE_NAMES.map((n) => `'${n}'`).join(', ')} in directory '${folder || '.'}'`, from);
    }
    const empty = parent ?? { resources: [], config: defaultConfig() };
    // Once refused, a folder met again adds nothing to the reach (and a diamond of folders is not walked exponentially).
    if (this.refused && this.entered.has(folder)) return empty;
    const spec = this.kustomization(file);
    if (component && !spec.isComponent) this.fail(new BuildFailure(`expected kind 'Component' for path '${folder}' but got 'Kustomization'`, from));
    if (!component && spec.isComponent) this.fail(new BuildFailure(`expected kind != 'Component' for path '${folder}'`, from));
    if (isEmpty(spec)) throw new BuildFailure(`couldn't make target for path '${folder}': kustomization.yaml is empty`, from);
    this.entered.add(folder);
    this.stack.push(folder);
    try {
      return this.accumulate(folder, file, spec, empty);
    } finally {
      this.stack.pop();
    }
  }

  private append(acc: Accumulator, r: Res, source: SourceRef): void {
    // Once refused, nothing is accumulated: the build only records its reach.
    if (this.refused) return;
    const id = curId(r);
    if (acc.resources.some((o) => sameId(curId(o), id) || o.prevIds.some((p) => sameId(p, id) && false))) {
      throw new BuildFailure(`may not add resource with an already registered id: ${idText(id)}`, source);
    }
    acc.resources.push(r);
  }

  /** The documents of a resource file, as resources. */
  private loadFile(path: string, from: SourceRef, kustomizationFile: string): Res[] {
    const file = this.input.yamlFile(path);
    this.reads.add(path);
    this.reach.manifests.add(path);
    if (this.refused) return [];
    let values: Array<{ object: any; index: number }>;
    if (file && file.syntaxErrors.length > 0) throw new BuildFailure(`accumulating resources from '${path}': MalformedYAMLError: ${file.syntaxErrors[0].message}`, from, 'yaml-syntax');
    if (file && !readsDifferently(file.text)) {
      values = file.resources.map((r) => ({ object: structuredClone(r.object), index: r.index }));
    } else {
      const text = file?.text ?? this.input.readText(path);
      if (text === undefined) throw new BuildFailure(`accumulating resources from '${path}': cannot read the file`, from, 'missing-path');
      const list = parseKustomizeYaml(text);
      if (list.some((d) => d.errors.length > 0)) throw new BuildFailure(`accumulating resources from '${path}': MalformedYAMLError`, from, 'yaml-syntax');
      values = list.map((d, index) => ({ object: valueOf(d, from), index })).filter((v) => v.object && typeof v.object === 'object');
    }
    const result: Res[] = [];
    const add = (object: any, index: number) => {
      if (!object || typeof object !== 'object' || Array.isArray(object)) return;
      if (typeof object.kind !== 'string' || object.kind === '') throw new BuildFailure(`accumulating resources from '${path}': missing Resource metadata`, from);
      if (object.kind.endsWith('List') && Array.isArray(object.items)) {
        for (const item of object.items) add(item, index);
        return;
      }
      if (this.originAnnotations) {
        object.metadata ??= {};
        object.metadata.annotations = { ...(object.metadata.annotations ?? {}), 'config.kubernetes.io/origin': `path: ${relativeTo(this.root, path)}\n` };
      }
      const r: Res = {
        object,
        source: { file: path, index },
        chain: [{ file: kustomizationFile, field: 'resources', nodePath: from.nodePath }],
        orgId: { apiVersion: '', kind: '', name: '', namespace: '' },
        prevIds: [],
        needsHash: object.metadata?.annotations?.['kustomize.config.k8s.io/needs-hash'] === 'true',
      };
      r.orgId = curId(r);
      result.push(r);
    };
    for (const v of values) add(v.object, v.index);
    return result;
  }

  private accumulate(folder: string, file: string, spec: KustomizationSpec, acc: Accumulator): Accumulator {
    const here: SourceRef = { file };
    const at = (field: string, ...rest: (string | number)[]): SourceRef => ({ file, nodePath: [spec.keys[field] ?? field, ...rest] });
    const f = spec.fields;
    // A field that is no list refuses the build: its entries are not read.
    const list = (field: string): string[] => {
      try {
        return stringList(spec, field, here);
      } catch (error) {
        this.fail(error);
        return [];
      }
    };

    // Resources (and the deprecated bases, appended after them).
    const entries = [...list('resources').map((v, i) => ({ v, src: at('resources', i) })), ...list('bases').map((v, i) => ({ v, src: at('bases', i) }))];
    for (const { v, src: entrySource } of entries) this.entry(() => {
      const src = spec.generated ? { file: joinRepoPath(folder, v) ?? v } : entrySource;
      if (isRemoteReference(v)) {
        this.unresolved.push({ reason: `remote resource ${v} is not in this repository`, source: src });
        return;
      }
      const target = joinRepoPath(folder, v.trim());
      if (target === undefined) {
        this.unresolved.push({ reason: `${v} is outside the repository`, source: src });
        return;
      }
      const kind = this.kindOf(target);
      if (kind === 'file' && spec.generated) {
        // Flux lists every YAML file of a plain folder, but leaves out what .sourceignore and the
        // source's ignore rules exclude, which this build does not read: a file that is not a
        // manifest there is not judged.
        try {
          for (const r of this.loadFile(target, src, file)) this.append(acc, r, src);
        } catch (error) {
          if (!(error instanceof BuildFailure) || !error.message.endsWith('missing Resource metadata')) throw error;
          this.unresolved.push({ reason: `${target} is not a Kubernetes manifest; Flux refuses it unless .sourceignore or the source's ignore rules leave it out, which this build does not read`, source: src });
        }
      } else if (kind === 'file') for (const r of this.loadFile(target, src, file)) this.append(acc, r, src);
      else if (kind === 'folder') {
        const sub = this.accumulateDirectory(target, src, false);
        for (const r of sub.resources) {
          r.chain.push({ file, field: 'resources', nodePath: src.nodePath });
          this.append(acc, r, src);
        }
        acc.config = mergeConfig(acc.config, sub.config);
      } else throw new BuildFailure(`accumulating resources: accumulation err='accumulating resources from '${v}': open ${target}: no such file or directory'`, src, 'missing-path');
    });

    // Transformer configurations and CRDs.
    list('configurations').forEach((v, i) => this.entry(() => {
      const path = joinRepoPath(folder, v);
      const text = path === undefined ? undefined : this.text(path);
      if (text === undefined) throw new BuildFailure(`failed to load configuration ${v}: no such file`, at('configurations', i), 'missing-path');
      this.reached('inputs', path!);
      if (this.refused) return;
      for (const doc of parseAllDocuments(text, { logLevel: 'error' })) acc.config = mergeConfig(acc.config, configFromObject(valueOf(doc, at('configurations', i))));
    }));
    list('crds').forEach((v, i) => this.entry(() => {
      const path = joinRepoPath(folder, v);
      if (path === undefined || this.kindOf(path) === 'missing') throw new BuildFailure(`loading CRDs: ${v}: no such file or directory`, at('crds', i), 'missing-path');
      this.reached('inputs', path);
    }));

    this.runGenerators(folder, file, spec, acc, at);

    // Components work on what has been accumulated so far.
    list('components').forEach((v, i) => this.entry(() => {
      const src = at('components', i);
      if (isRemoteReference(v)) {
        this.unresolved.push({ reason: `remote component ${v} is not in this repository`, source: src });
        return;
      }
      const target = joinRepoPath(folder, v.trim());
      if (target === undefined) {
        this.unresolved.push({ reason: `${v} is outside the repository`, source: src });
        return;
      }
      if (this.kindOf(target) !== 'folder') throw new BuildFailure(`accumulating components: loader.New "must build at directory: '${v}': not a valid directory"`, src, 'missing-path');
      const before = new Set(acc.resources);
      const result = this.accumulateDirectory(target, src, true, acc);
      acc.resources = result.resources;
      acc.config = result.config;
      for (const r of acc.resources) if (!before.has(r)) r.chain.push({ file, field: 'components', nodePath: src.nodePath });
    }));

    this.runTransformers(folder, file, spec, acc, at);
    list('transformers').forEach((entry, i) => this.entry(() => this.runTransformerConfig(folder, entry, acc, at('transformers', i))));
    const generators = list('generators');
    if (generators.length > 0) this.unresolved.push({ reason: 'kustomize generator plugins are not evaluated', source: at('generators') });
    // Not evaluated, but what the folder is made of: a generator's configuration file.
    for (const entry of generators) {
      const path = entry.includes('\n') || isRemoteReference(entry) ? undefined : joinRepoPath(folder, entry.trim());
      if (path !== undefined && this.kindOf(path) === 'file') this.reach.inputs.add(path);
    }
    return acc;
  }

  private runGenerators(folder: string, file: string, spec: KustomizationSpec, acc: Accumulator, at: (field: string, ...rest: (string | number)[]) => SourceRef): void {
    const loader = <T>(read: (target: string) => T | undefined, none: T) => (path: string, nodePath: (string | number)[]): T => {
      const target = joinRepoPath(folder, path);
      const src: SourceRef = { file, nodePath: [spec.keys[String(nodePath[0])] ?? nodePath[0], ...nodePath.slice(1)] };
      if (isRemoteReference(path)) throw new Unseen(`generator input ${path} is not in this repository`, src);
      if (target === undefined) throw new Unseen(`${path} is outside the repository`, src);
      const kind = this.kindOf(target);
      const content = kind === 'file' ? read(target) : undefined;
      if (content === undefined) {
        // Refused; the generator's other inputs are still read, for the reach.
        this.fail(new BuildFailure(`loading KV pairs: ${path}: no such file or directory`, src, 'missing-path'));
        return none;
      }
      this.reach.inputs.add(target);
      return content;
    };
    const load = loader((target) => this.text(target), '');
    const loadBytes = loader((target) => this.bytes(target), new Uint8Array());
    for (const [field, kind] of [['configMapGenerator', 'ConfigMap'], ['secretGenerator', 'Secret']] as const) this.entry(() => {
      const list = spec.fields[field];
      if (list === undefined || list === null) return;
      if (!Array.isArray(list)) throw new BuildFailure(`invalid Kustomization: ${field} must be a list`, at(field));
      list.forEach((args, i) => this.entry(() => {
        let generated: ReturnType<typeof generate>;
        try {
          generated = generate(kind, args, i, spec.fields.generatorOptions, { load, loadBytes }, { file });
        } catch (error) {
          // An input this build cannot see (a URL, a file outside the repository): that one object
          // is unknown, the rest of the build is not.
          if (!(error instanceof Unseen)) throw error;
          this.unresolved.push({ reason: `${error.message}: ${kind} ${String(args?.name ?? '')} is not built`, source: error.source });
          return;
        }
        if (this.originAnnotations) {
          const by = kind === 'ConfigMap' ? 'ConfigMapGenerator' : 'SecretGenerator';
          generated.object.metadata.annotations = {
            ...(generated.object.metadata.annotations ?? {}),
            'config.kubernetes.io/origin': `configuredIn: ${relativeTo(this.root, file)}\nconfiguredBy:\n  apiVersion: builtin\n  kind: ${by}\n`,
          };
        }
        const r: Res = {
          object: generated.object,
          source: { file, nodePath: at(field, i).nodePath },
          chain: [{ file, field, nodePath: at(field, i).nodePath }],
          orgId: { apiVersion: 'v1', kind, name: args.name, namespace: generated.object.metadata.namespace ?? '' },
          prevIds: [],
          needsHash: generated.needsHash,
          behavior: generated.behavior,
        };
        this.absorb(acc, r, at(field, i));
      }));
    });
    const charts = spec.fields.helmCharts ?? spec.fields.helmChartInflationGenerator;
    if (Array.isArray(charts) && charts.length > 0) this.unresolved.push({ reason: 'helmCharts are inflated by Helm, which this build does not run', source: at(spec.fields.helmCharts ? 'helmCharts' : 'helmChartInflationGenerator') });
  }

  /** A generated resource joins the accumulated ones by its behaviour: create, merge or replace. */
  private absorb(acc: Accumulator, r: Res, source: SourceRef): void {
    if (this.refused) return;
    const id = curId(r);
    const matches = acc.resources.filter((o) => sameId(curId(o), id) || o.prevIds.some((p) => sameId(p, id)) || sameId(o.orgId, id));
    if (matches.length === 0) {
      if (r.behavior === 'merge' || r.behavior === 'replace') throw new BuildFailure(`id ${idText(id)} does not exist; cannot merge or replace`, source);
      acc.resources.push(r);
      return;
    }
    if (matches.length > 1) throw new BuildFailure(`found multiple objects that could accept merge of ${idText(id)}`, source);
    const old = matches[0];
    if (r.behavior !== 'merge' && r.behavior !== 'replace') {
      throw new BuildFailure(`id ${idText(id)} exists; behavior must be merge or replace`, source);
    }
    const meta = r.object.metadata;
    const oldMeta = old.object.metadata ?? {};
    meta.labels = { ...(oldMeta.labels ?? {}), ...(meta.labels ?? {}) };
    meta.annotations = { ...(oldMeta.annotations ?? {}), ...(meta.annotations ?? {}) };
    if (Object.keys(meta.labels).length === 0) delete meta.labels;
    if (Object.keys(meta.annotations).length === 0) delete meta.annotations;
    meta.name = oldMeta.name;
    if (oldMeta.namespace !== undefined) meta.namespace = oldMeta.namespace;
    else delete meta.namespace;
    if (r.behavior === 'merge') {
      if (old.object.data || r.object.data) r.object.data = { ...(old.object.data ?? {}), ...(r.object.data ?? {}) };
      if (old.object.binaryData || r.object.binaryData) r.object.binaryData = { ...(old.object.binaryData ?? {}), ...(r.object.binaryData ?? {}) };
      if (old.object.metadata?.annotations?.['config.kubernetes.io/origin'] && this.originAnnotations) {
        meta.annotations['config.kubernetes.io/origin'] = old.object.metadata.annotations['config.kubernetes.io/origin'];
      }
    }
    r.prevIds = old.prevIds;
    r.orgId = old.orgId;
    // The hash suffix stays only when both the old and the new generator ask for it (checked with kubectl).
    r.needsHash = r.needsHash && old.needsHash;
    r.source = old.source;
    r.chain = [...old.chain, ...r.chain];
    acc.resources[acc.resources.indexOf(old)] = r;
  }

  private runTransformers(folder: string, file: string, spec: KustomizationSpec, acc: Accumulator, at: (field: string, ...rest: (string | number)[]) => SourceRef): void {
    const f = spec.fields;
    const config = acc.config;
    const readPatch = (path: unknown, src: SourceRef, role: 'patches' | 'inputs' = 'patches'): string => {
      const target = typeof path === 'string' ? joinRepoPath(folder, path) : undefined;
      if (target === undefined) throw new Unseen(`patch ${String(path)} is outside the repository`, src);
      const text = this.kindOf(target) === 'file' ? this.text(target) : undefined;
      if (text === undefined) throw new BuildFailure(`failed to get the patch file from path(${String(path)}): no such file or directory`, src, 'missing-path');
      this.reach[role].add(target);
      return text;
    };
    // kustomize's order: patchesStrategicMerge, patches, namespace, prefix, suffix, labels,
    // annotations, patchesJson6902, replicas, images, replacements.
    const patchList = (field: string) => {
      const list = f[field];
      if (list === undefined || list === null) return [];
      if (!Array.isArray(list)) throw new BuildFailure(`invalid Kustomization: ${field} must be a list`, at(field));
      return list;
    };
    const patches = (field: string, each: (p: any, i: number) => void) =>
      this.entry(() => patchList(field).forEach((p: any, i: number) => this.entry(() => each(p, i))));
    patches('patchesStrategicMerge', (p: unknown, i: number) => {
      const src = at('patchesStrategicMerge', i);
      const value = String(p ?? '');
      const path = joinRepoPath(folder, value.trim());
      const isFile = !value.includes('\n') && path !== undefined && this.kindOf(path) === 'file';
      if (!isFile && !value.includes('\n') && !value.includes(':')) throw new BuildFailure(`failed to get the patch file from path(${value}): no such file or directory`, src, 'missing-path');
      if (isFile) this.reach.patches.add(path!);
      this.applyPatch(acc, isFile ? this.text(path!)! : value, undefined, src, undefined);
    });
    patches('patches', (p: any, i: number) => {
      const src = spec.origins?.get(p) ?? at('patches', i);
      if (!p || typeof p !== 'object') throw new BuildFailure('must specify one of patch and path', src);
      const inline = typeof p.patch === 'string' ? p.patch.trim() : '';
      if (inline === '' && !p.path) throw new BuildFailure('must specify one of patch and path', src);
      if (inline !== '' && p.path) throw new BuildFailure("patch and path can't be set at the same time", src);
      const text = inline !== '' ? inline : readPatch(p.path, { file, nodePath: [...(src.nodePath ?? []), 'path'] });
      this.applyPatch(acc, text, p.target ?? undefined, src, p.options);
    });

    if (!this.refused) this.entry(() => this.runMetadataTransformers(spec, acc, at));

    patches('patchesJson6902', (p: any, i: number) => {
      const src = at('patchesJson6902', i);
      const inline = typeof p?.patch === 'string' ? p.patch.trim() : '';
      this.applyPatch(acc, inline !== '' ? inline : readPatch(p?.path, src), p?.target ?? undefined, src, undefined);
    });

    if (!this.refused) this.entry(() => {
      const replicas = f.replicas;
      if (Array.isArray(replicas)) replicas.forEach((r: any, i: number) => r && setReplicas(acc.resources, String(r.name), r.count, config.replicas, at('replicas', i)));
      const images = [...(Array.isArray(f.images) ? f.images : []), ...(Array.isArray(f.imageTags) ? f.imageTags : [])];
      images.forEach((image: any, i: number) => {
        if (!image || typeof image.name !== 'string') return;
        setImages(acc.resources, { name: image.name, newName: str(image.newName), newTag: str(image.newTag), digest: str(image.digest) }, config.images, at('images', i));
      });
    });

    const replacements = f.replacements;
    if (Array.isArray(replacements)) {
      replacements.forEach((r: any, i: number) => this.entry(() => {
        const src = at('replacements', i);
        if (r && typeof r === 'object' && typeof r.path === 'string') {
          const text = readPatch(r.path, src, 'inputs');
          if (this.refused) return;
          for (const doc of parseAllDocuments(text, { logLevel: 'error' })) {
            const value = valueOf(doc, src);
            for (const entry of Array.isArray(value) ? value : value ? [value] : []) applyReplacement(acc.resources, entry, src);
          }
        } else if (!this.refused) applyReplacement(acc.resources, r, src);
      }));
    }
  }

  /** namespace, namePrefix, nameSuffix, labels, commonLabels, commonAnnotations (in kustomize's order, between the patches). */
  private runMetadataTransformers(spec: KustomizationSpec, acc: Accumulator, at: (field: string, ...rest: (string | number)[]) => SourceRef): void {
    const f = spec.fields;
    const config = acc.config;
    if (typeof f.namespace === 'string' && f.namespace !== '') setNamespace(acc.resources, f.namespace, config.namespace, at('namespace'));
    if (typeof f.namePrefix === 'string' && f.namePrefix !== '') addNameAffix(acc.resources, f.namePrefix, 'prefix', config.namePrefix, at('namePrefix'));
    if (typeof f.nameSuffix === 'string' && f.nameSuffix !== '') addNameAffix(acc.resources, f.nameSuffix, 'suffix', config.nameSuffix, at('nameSuffix'));

    const labels = f.labels;
    if (Array.isArray(labels)) {
      labels.forEach((label: any, i: number) => {
        if (!label || typeof label !== 'object') return;
        let specs: FieldSpec[] = [...toSpecList(label.fields), ...config.labels];
        if (label.includeSelectors === true) specs = [...specs, ...config.commonLabels];
        else {
          if (label.includeTemplates === true) specs = [...specs, ...config.templateLabels];
          specs = [...specs, { path: 'metadata/labels', create: true }];
        }
        addMapEntries(acc.resources, stringMap(label.pairs), dedupe(specs), at('labels', i), 'labels');
      });
    }
    if (f.commonLabels && typeof f.commonLabels === 'object') addMapEntries(acc.resources, stringMap(f.commonLabels), config.commonLabels, at('commonLabels'), 'commonLabels');
    if (f.commonAnnotations && typeof f.commonAnnotations === 'object') addMapEntries(acc.resources, stringMap(f.commonAnnotations), config.commonAnnotations, at('commonAnnotations'), 'commonAnnotations');
  }

  /** A `transformers` entry: a built-in transformer's configuration, inline or in a file. */
  private runTransformerConfig(folder: string, entry: string, acc: Accumulator, src: SourceRef): void {
    let text = entry;
    if (!entry.includes('\n')) {
      const path = joinRepoPath(folder, entry.trim());
      const kind = path === undefined ? 'missing' : this.kindOf(path);
      if (kind !== 'file') {
        this.unresolved.push({ reason: `transformer ${entry} is not evaluated`, source: src });
        return;
      }
      text = this.text(path!) ?? '';
      this.reach.inputs.add(path!);
    }
    for (const doc of parseKustomizeYaml(text)) {
      const c: any = valueOf(doc, src);
      if (!c || typeof c !== 'object') continue;
      const specs = toSpecList(c.fieldSpecs);
      if (c.apiVersion === 'builtin' && c.kind === 'NamespaceTransformer' && typeof c.metadata?.namespace === 'string') {
        setNamespace(acc.resources, c.metadata.namespace, specs, src, { unsetOnly: c.unsetOnly === true, subjects: c.setRoleBindingSubjects });
      } else if (c.apiVersion === 'builtin' && c.kind === 'LabelTransformer') addMapEntries(acc.resources, stringMap(c.labels), specs, src, 'transformers');
      else if (c.apiVersion === 'builtin' && c.kind === 'AnnotationsTransformer') addMapEntries(acc.resources, stringMap(c.annotations), specs, src, 'transformers');
      else if (c.apiVersion === 'builtin' && c.kind === 'PrefixSuffixTransformer') {
        if (c.prefix) addNameAffix(acc.resources, String(c.prefix), 'prefix', specs, src);
        if (c.suffix) addNameAffix(acc.resources, String(c.suffix), 'suffix', specs, src);
      } else if (c.apiVersion === 'builtin' && c.kind === 'PatchTransformer') {
        const patchPath = typeof c.patch === 'string' || !c.path ? undefined : joinRepoPath(folder, String(c.path));
        const patch = typeof c.patch === 'string' ? c.patch : patchPath !== undefined ? this.text(patchPath) : undefined;
        if (patch !== undefined && patchPath !== undefined) this.reached('patches', patchPath);
        if (patch === undefined) this.unresolved.push({ reason: 'PatchTransformer without a readable patch', source: src });
        else this.applyPatch(acc, patch, c.target, src, c.options);
      } else this.unresolved.push({ reason: `transformer ${String(c.apiVersion)}/${String(c.kind)} is not evaluated`, source: src });
    }
  }

  /** Records a patch's reach; one that reaches nothing keeps the objects it could have meant. */
  private recordPatch(acc: Accumulator, source: SourceRef, target: Selector, selector: boolean, matched: number): void {
    const use: PatchUse = { source, target: { ...target }, selector, matched, incomplete: this.unresolved.length > 0 };
    if (matched === 0) use.candidates = acc.resources.map((r) => ({ ...curId(r), source: r.source }));
    this.patches.push(use);
  }

  private applyPatch(acc: Accumulator, text: string, target: Selector | undefined, src: SourceRef, options: any): void {
    if (this.refused) return;
    const docs = parseKustomizeYaml(text) as any[];
    if (docs.some((d) => d.errors.length > 0)) throw new BuildFailure(`unable to parse SM or JSON patch: ${docs.find((d) => d.errors.length > 0).errors[0].message.split('\n')[0]}`, src);
    const values = docs.map((d) => valueOf(d, src)).filter((v) => v !== null && v !== undefined);
    const isJson = values.length === 1 && Array.isArray(values[0]);
    if (isJson) {
      if (!target) throw new BuildFailure('must specify a target for JSON patch', src);
      const selected = selectResources(acc.resources, target);
      this.recordPatch(acc, src, target, true, selected.length);
      for (const r of selected) {
        storePreviousId(r);
        try {
          r.object = applyJsonPatch(r.object, values[0]);
        } catch (error) {
          if (error instanceof JsonPatchError) throw new BuildFailure(error.message, src);
          throw error;
        }
        r.chain.push({ file: src.file, field: 'patches', nodePath: src.nodePath });
      }
      return;
    }
    if (values.some((v) => !v || typeof v !== 'object' || Array.isArray(v))) throw new BuildFailure('unable to parse SM or JSON patch', src);
    const apply = (r: Res, patch: any) => {
      const { name, namespace } = curId(r);
      const kind = r.object.kind;
      const apiVersion = r.object.apiVersion;
      const allowName = options?.allowNameChange === true;
      const allowKind = options?.allowKindChange === true;
      if (allowName || allowKind) storePreviousId(r);
      let merged: any;
      try {
        merged = strategicMerge(r.object, patch, mergeDefinitionOf(String(r.object.apiVersion ?? ''), String(kind ?? '')));
      } catch (error) {
        if (error instanceof MergeError) throw new BuildFailure(error.message, src);
        throw error;
      }
      r.chain.push({ file: src.file, field: 'patches', nodePath: src.nodePath });
      if (merged === undefined || (merged && typeof merged === 'object' && Object.keys(merged).length === 0)) {
        acc.resources.splice(acc.resources.indexOf(r), 1);
        return;
      }
      r.object = merged;
      // The patch is given the resource's group and version: its own apiVersion never wins.
      r.object.apiVersion = apiVersion;
      if (!allowKind) r.object.kind = kind;
      r.object.metadata ??= {};
      if (!allowName) r.object.metadata.name = name;
      if (namespace !== '') r.object.metadata.namespace = namespace;
      else delete r.object.metadata.namespace;
    };
    if (target) {
      if (values.length > 1) throw new BuildFailure('Multiple Strategic-Merge Patches in one `patches` entry is not allowed to set `patches.target` field', src);
      const selected = selectResources(acc.resources, target);
      this.recordPatch(acc, src, target, true, selected.length);
      for (const r of selected) apply(r, values[0]);
      return;
    }
    for (const patch of values) {
      const id = { apiVersion: String(patch.apiVersion ?? ''), kind: String(patch.kind ?? ''), name: String(patch.metadata?.name ?? ''), namespace: String(patch.metadata?.namespace ?? '') };
      const matches = acc.resources.filter((r) => sameId(curId(r), id) || sameId(r.orgId, id) || r.prevIds.some((p) => sameId(p, id)));
      if (matches.length === 0) {
        const { group, version } = groupVersion(id.apiVersion);
        this.recordPatch(acc, src, { group, version, kind: id.kind, name: id.name, ...(id.namespace ? { namespace: id.namespace } : {}) }, false, 0);
      }
      if (matches.length !== 1) {
        throw new BuildFailure(`no resource matches strategic merge patch "${idText(id)}": ${matches.length === 0 ? 'no matches for Id' : 'multiple matches for Id'} ${idText(id)}; failed to find unique target for patch ${idText(id)}`, src, matches.length === 0 ? 'patch-no-target' : undefined);
      }
      apply(matches[0], patch);
    }
  }
}

function str(v: unknown): string | undefined {
  return v === undefined || v === null || v === '' ? undefined : String(v);
}

function stringMap(value: unknown): Record<string, string> {
  if (!value || typeof value !== 'object') return {};
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, v === null || v === undefined ? '' : String(v)]));
}

function toSpecList(value: unknown): FieldSpec[] {
  return Array.isArray(value) ? value.filter((s) => s && typeof s.path === 'string').map((s) => ({ ...s, create: s.create === true })) : [];
}

function dedupe(specs: FieldSpec[]): FieldSpec[] {
  const result: FieldSpec[] = [];
  for (const s of specs) if (!result.some((r) => r.path === s.path && r.kind === s.kind && r.group === s.group && r.version === s.version)) result.push(s);
  return result;
}

/** Builds one kustomization folder. Refusals and unseen parts are reported, never thrown. */
export function buildKustomization(input: BuildInput, folder: string): BuildResult {
  return runBuild(input, folder, (builder) => builder.build(folder));
}

/**
 * kustomize refuses a kustomization that sets nothing but its apiVersion and kind: an empty file,
 * `{}`, keys with a null or empty-string value (checked with kubectl). An empty list
 * (`resources: []`) is something.
 */
function isEmpty(spec: KustomizationSpec): boolean {
  if (spec.generated) return false;
  return Object.entries(spec.fields).every(([key, value]) => key === 'apiVersion' || key === 'kind' || value === null || value === undefined || value === '');
}

/** Runs a build, turning refusals and what cannot be seen into the result's error and unresolved. */
export function runBuild(input: BuildInput, folder: string, build: (builder: KustomizeBuilder) => Res[]): BuildResult {
  const builder = new KustomizeBuilder(input);
  let resources: Res[] = [];
  try {
    resources = build(builder);
  } catch (error) {
    builder.fail(error);
  }
  return builder.result(folder, resources);
}

/** The fields Flux dropped, when there are any (whatever else the build met). */
function ignored(builder: KustomizeBuilder): Pick<BuildResult, 'ignored'> {
  return builder.ignored.length > 0 ? { ignored: builder.ignored } : {};
}

export function toRendered(r: Res): import('./types').Rendered {
  const id = curId(r);
  return { ...id, object: r.object, source: r.source, chain: r.chain };
}

