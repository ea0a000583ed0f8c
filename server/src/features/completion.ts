// Completion of the names a Flux repository refers to: dependsOn targets, sources, Secrets and
// ConfigMaps, namespaces, spec.path folders and kustomization `resources` / `components` entries.
import { isMap, isScalar, isSeq, type Node, type Scalar, type YAMLMap } from 'yaml';
import { CompletionItemKind, type CompletionItem, type Range as LspRange } from 'vscode-languageserver';
import { FLUX_HELM_GROUP, FLUX_KUSTOMIZE_GROUP } from '../model/flux';
import type { RepoModel } from '../model/model';
import { isKustomizationFileName } from '../model/parse';
import { basename, dirname, joinRepoPath } from '../model/paths';
import { nodeAt, positionAt } from '../model/positions';
import type { Position, YamlFile } from '../model/types';
import { cursorAt, scalarOffsets, scalarRange, type Cursor } from './cursor';
import { ownerNamespace } from './crossReferences';
import { schemaCompletion, withSchemaItems } from './schemaAssist';

const SOURCE_KINDS: Record<string, string[]> = {
  kustomization: ['GitRepository', 'OCIRepository', 'Bucket', 'ExternalArtifact'],
  chart: ['HelmRepository', 'GitRepository', 'Bucket'],
  chartRef: ['OCIRepository', 'HelmChart', 'ExternalArtifact'],
  other: ['GitRepository', 'OCIRepository', 'HelmRepository', 'Bucket', 'HelmChart', 'ExternalArtifact'],
};

interface Context {
  model: RepoModel;
  file: YamlFile;
  cursor: Cursor;
  node: Scalar;
  /** What the completion replaces. */
  range: LspRange;
  ownNamespace?: string;
  isFluxKustomization: boolean;
  isHelmRelease: boolean;
}

/** The names below first, then the fields and values the schema allows there (schemaAssist.ts). */
/**
 * `triggeredBySpace`: the client asked because a space was typed. On a line of nothing but
 * indentation that is someone indenting, not asking for field names, so only names are offered.
 */
export function completion(model: RepoModel, path: string, position: Position, triggeredBySpace = false): CompletionItem[] {
  const named = namedCompletion(model, path, position);
  const file = model.file(path);
  const lineStart = file?.lineStarts[position.line];
  const before = file && lineStart !== undefined ? file.text.slice(lineStart, lineStart + position.character) : '';
  if (triggeredBySpace && before.trim() === '') return named;
  return withSchemaItems(named, schemaCompletion(model, path, position));
}

function namedCompletion(model: RepoModel, path: string, position: Position): CompletionItem[] {
  const file = model.file(path);
  const cursor = file && cursorAt(file, position);
  if (!file || !cursor || cursor.onKey || !isScalar(cursor.node)) return [];
  const node = cursor.node;
  const isFluxKustomization = cursor.kind === 'Kustomization' && cursor.apiVersion.startsWith(FLUX_KUSTOMIZE_GROUP);
  const isHelmRelease = cursor.kind === 'HelmRelease' && cursor.apiVersion.startsWith(FLUX_HELM_GROUP);
  const top = cursor.document.contents;
  const writtenNamespace = isMap(top) ? top.getIn(['metadata', 'namespace']) : undefined;
  // The model's answer for a document it knows (undefined where the build cannot say: no guess
  // from what the file says); what the document says while it is being typed.
  const ownNamespace = cursor.resource
    ? ownerNamespace(model, cursor.resource)
    : typeof writtenNamespace === 'string'
      ? writtenNamespace
      : isFluxKustomization
        ? 'flux-system'
        : undefined;
  const range = node.value === null ? { start: position, end: position } : scalarRange(file, node);
  const context: Context = { model, file, cursor, node, range, ownNamespace, isFluxKustomization, isHelmRelease };
  const p = cursor.path;
  const at = (...steps: Array<string | number | null>) => p.length === steps.length && steps.every((s, i) => s === null ? typeof p[i] === 'number' : p[i] === s);
  const last = p[p.length - 1];
  const parent = p[p.length - 2];
  const isKustomizeFile = isKustomizationFileName(path) && !isFluxKustomization;

  if ((isFluxKustomization || isHelmRelease) && at('spec', 'dependsOn', null, 'name')) return dependencyItems(context, false);
  if ((isFluxKustomization || isHelmRelease) && at('spec', 'dependsOn', null)) return dependencyItems(context, true);
  if ((parent === 'sourceRef' || parent === 'chartRef') && last === 'kind') return kindItems(context);
  if ((parent === 'sourceRef' || parent === 'chartRef') && last === 'name') return sourceItems(context);
  if ((at('metadata', 'namespace') && !isKustomizeFile) || ((isFluxKustomization || isHelmRelease) && at('spec', 'targetNamespace')) || (isKustomizeFile && at('namespace'))) {
    return namespaceItems(context);
  }
  if (isFluxKustomization && at('spec', 'path')) return folderItems(context);
  if (last === 'name' && (parent === 'secretRef' || parent === 'configMapRef')) return configItems(context, parent === 'secretRef' ? 'Secret' : 'ConfigMap');
  if (last === 'name' && typeof parent === 'number' && (p[p.length - 3] === 'valuesFrom' || p[p.length - 3] === 'substituteFrom')) {
    const entry = nodeAt(cursor.document, p.slice(0, -1));
    const kind = isMap(entry) ? entry.get('kind') : undefined;
    if (kind === 'Secret' || kind === 'ConfigMap') return configItems(context, kind);
  }
  if (isKustomizeFile && (at('resources', null) || at('components', null))) return entryItems(context, path, p[0] as string);
  return [];
}

/** Column of a node's first character, for lines the completion adds below it. */
function columnOf(file: YamlFile, node: Node | null | undefined, fallback: number): number {
  const start = node?.range?.[0];
  return start === undefined ? fallback : positionAt(file.lineStarts, start).character;
}

function kindOfSourceContext(context: Context): keyof typeof SOURCE_KINDS {
  const p = context.cursor.path;
  if (context.isFluxKustomization && p.join('/').startsWith('spec/sourceRef/')) return 'kustomization';
  if (context.isHelmRelease && p.join('/').startsWith('spec/chart/spec/sourceRef/')) return 'chart';
  if (context.isHelmRelease && p.join('/').startsWith('spec/chartRef/')) return 'chartRef';
  return 'other';
}

function dependencyItems(context: Context, bareItem: boolean): CompletionItem[] {
  const { model, file, cursor } = context;
  const kind = context.isHelmRelease ? 'HelmRelease' : 'Kustomization';
  const candidates = context.isHelmRelease ? model.graph.helmReleases : model.graph.fluxKustomizations;
  const here = model.graph.clustersOf.get(file.path);
  const top = cursor.document.contents;
  const ownName = isMap(top) ? top.getIn(['metadata', 'name']) : undefined;
  const entry = bareItem ? undefined : nodeAt(cursor.document, cursor.path.slice(0, 3));
  const hasNamespace = isMap(entry) && entry.has('namespace');
  const indent = bareItem ? context.range.start.character : columnOf(file, entry, context.range.start.character);
  const seen = new Set<string>();
  // Not offered: the entries already listed (but the one being written), and the Kustomizations
  // that apply this file (depending on its own parent makes a Kustomization wait for itself).
  const index = cursor.path[2];
  const listed = isMap(top) ? top.getIn(['spec', 'dependsOn']) : undefined;
  const excluded = new Set<string>();
  if (isSeq(listed)) {
    listed.items.forEach((item, i) => {
      if (i === index || !isMap(item)) return;
      const name = item.get('name');
      const namespace = item.get('namespace') ?? context.ownNamespace ?? '';
      if (typeof name === 'string') excluded.add(`${namespace}/${name}`);
    });
  }
  if (!context.isHelmRelease) for (const parent of model.graph.appliedBy.get(file.path) ?? []) excluded.add(`${parent.namespace}/${parent.name}`);
  const items: CompletionItem[] = [];
  for (const candidate of candidates) {
    const id = `${candidate.namespace}/${candidate.name}`;
    if (seen.has(id) || excluded.has(id) || (candidate.name === ownName && candidate.namespace === (context.ownNamespace ?? candidate.namespace))) continue;
    const there = model.graph.clustersOf.get(candidate.resource.file);
    if (here && here.size > 0 && there && there.size > 0 && ![...here].some((c) => there.has(c))) continue;
    seen.add(id);
    const sameNamespace = !candidate.namespace || candidate.namespace === context.ownNamespace;
    const namespaceLine = sameNamespace || hasNamespace ? '' : `\n${' '.repeat(indent)}namespace: ${candidate.namespace}`;
    items.push({
      label: candidate.name,
      kind: CompletionItemKind.Reference,
      labelDetails: candidate.namespace ? { description: candidate.namespace } : undefined,
      detail: `${kind} ${candidate.namespace ? `${candidate.namespace}/` : ''}${candidate.name}`,
      documentation: candidate.resource.file,
      filterText: bareItem ? `name: ${candidate.name}` : candidate.name,
      sortText: `${sameNamespace ? 0 : 1}${candidate.name}`,
      textEdit: { range: context.range, newText: `${bareItem ? 'name: ' : ''}${candidate.name}${namespaceLine}` },
    });
  }
  return items.sort((a, b) => a.sortText!.localeCompare(b.sortText!));
}

function kindItems(context: Context): CompletionItem[] {
  return SOURCE_KINDS[kindOfSourceContext(context)].map((kind, i) => ({
    label: kind,
    kind: CompletionItemKind.EnumMember,
    sortText: String(i).padStart(2, '0'),
    textEdit: { range: context.range, newText: kind },
  }));
}

function sourceItems(context: Context): CompletionItem[] {
  const { model, file, cursor } = context;
  const ref = nodeAt(cursor.document, cursor.path.slice(0, -1)) as YAMLMap | undefined;
  const writtenKind = isMap(ref) ? ref.get('kind') : undefined;
  const allowed = typeof writtenKind === 'string' && writtenKind !== '' ? [writtenKind] : SOURCE_KINDS[kindOfSourceContext(context)];
  const hasNamespace = isMap(ref) && ref.has('namespace');
  const indent = columnOf(file, ref, context.range.start.character);
  const seen = new Set<string>();
  const items: CompletionItem[] = [];
  const here = model.graph.clustersOf.get(context.file.path);
  for (const source of model.graph.sources.values()) {
    if (!allowed.includes(source.kind)) continue;
    // Where it lands in the clusters of this file (else in every cluster that applies it): one item
    // per namespace; where the build cannot say, an item that adds no namespace.
    const inHere = here && here.size > 0 ? model.placementsOf(source, here) : [];
    for (const placement of inHere.length > 0 ? inHere : model.placementsOf(source)) {
      const namespace = placement.namespace === undefined ? undefined : placement.namespace || 'flux-system';
      const id = `${source.kind}/${namespace ?? '?'}/${source.name}`;
      if (seen.has(id)) continue;
      seen.add(id);
      const sameNamespace = namespace === undefined || namespace === context.ownNamespace;
      items.push({
        label: source.name,
        kind: CompletionItemKind.Reference,
        labelDetails: { description: namespace === undefined ? source.kind : `${source.kind} ${namespace}` },
        detail: namespace === undefined ? `${source.kind} ${source.name} (namespace unknown: ${placement.unknown})` : `${source.kind} ${namespace}/${source.name}`,
        documentation: source.file,
        filterText: source.name,
        sortText: `${sameNamespace ? 0 : 1}${source.name}/${source.kind}`,
        textEdit: { range: context.range, newText: `${source.name}${sameNamespace || hasNamespace ? '' : `\n${' '.repeat(indent)}namespace: ${namespace}`}` },
      });
    }
  }
  return items.sort((a, b) => a.sortText!.localeCompare(b.sortText!));
}

function namespaceItems(context: Context): CompletionItem[] {
  const { model } = context;
  const declared = new Map<string, string>();
  for (const resource of model.resources()) {
    if (resource.kind === 'Namespace' && resource.name && !declared.has(resource.name)) declared.set(resource.name, resource.file);
  }
  const names = new Set([...declared.keys(), ...model.graph.fluxKustomizations.map((ks) => ks.namespace)].filter((n) => n && !n.includes('${')));
  return [...names].sort().map((name) => ({
    label: name,
    kind: CompletionItemKind.Module,
    detail: declared.has(name) ? `Namespace ${name}` : 'namespace of Flux objects',
    documentation: declared.get(name),
    textEdit: { range: context.range, newText: name },
  }));
}

/** Secrets or ConfigMaps of the namespace the referring object lives in. */
function configItems(context: Context, kind: 'Secret' | 'ConfigMap'): CompletionItem[] {
  const { model } = context;
  const seen = new Set<string>();
  const items: CompletionItem[] = [];
  const here = model.graph.clustersOf.get(context.file.path);
  for (const resource of model.resources()) {
    if (resource.kind !== kind || resource.apiVersion !== 'v1' || !resource.name || seen.has(resource.name)) continue;
    const inHere = here && here.size > 0 ? model.placementsOf(resource, here) : [];
    const placements = inHere.length > 0 ? inHere : model.placementsOf(resource);
    // Left out only when it lands elsewhere wherever it is known to land (unknown: offered).
    if (context.ownNamespace && placements.every((p) => p.namespace && p.namespace !== context.ownNamespace)) continue;
    const namespace = placements.length === 1 ? placements[0].namespace : undefined;
    seen.add(resource.name);
    items.push({ label: resource.name, kind: CompletionItemKind.Reference, detail: `${kind} ${namespace ? `${namespace}/` : ''}${resource.name}`, documentation: resource.file, textEdit: { range: context.range, newText: resource.name } });
  }
  return items.sort((a, b) => a.label.localeCompare(b.label));
}

function folderItems(context: Context): CompletionItem[] {
  const { model } = context;
  return model.folders.map((folder) => ({
    label: `./${folder}`,
    kind: CompletionItemKind.Folder,
    detail: model.graph.kustomizeDirs.get(folder)?.file ? 'kustomization.yaml' : undefined,
    textEdit: { range: context.range, newText: `./${folder}` },
  }));
}

/** Files and folders relative to the kustomization, below what the entry names so far. */
function entryItems(context: Context, kustomizationPath: string, field: string): CompletionItem[] {
  const { model, node, cursor } = context;
  const written = typeof node.value === 'string' ? node.value : '';
  const typed = written.slice(0, Math.max(0, cursor.offset - scalarOffsets(node)[0]));
  const prefix = typed.slice(0, typed.lastIndexOf('/') + 1);
  const folder = dirname(kustomizationPath);
  const base = joinRepoPath(folder, prefix || '.');
  if (base === undefined || (base !== '' && model.kindOf(base) === 'missing')) return [];
  const top = cursor.document.contents;
  const listed = new Set<string>();
  const list = isMap(top) ? top.get(field) : undefined;
  if (list && typeof list === 'object' && 'items' in list) {
    for (const item of (list as { items: unknown[] }).items) if (isScalar(item) && item !== node && typeof item.value === 'string') listed.add(item.value);
  }
  const items: CompletionItem[] = [];
  const add = (text: string, kind: CompletionItemKind) => {
    if (listed.has(text)) return;
    items.push({ label: text, kind, sortText: `${kind === CompletionItemKind.File ? 0 : 1}${text}`, textEdit: { range: context.range, newText: text } });
  };
  const { files, folders } = model.children(base);
  if (field === 'resources') {
    for (const file of files) if (/\.(ya?ml|json)$/i.test(file) && file !== kustomizationPath && !isKustomizationFileName(file)) add(prefix + basename(file), CompletionItemKind.File);
  }
  for (const sub of folders) add(prefix + basename(sub), CompletionItemKind.Folder);
  if ((prefix === '' || /(^|\/)\.\.\/$/.test(prefix)) && base !== '') add(`${prefix}../`, CompletionItemKind.Folder);
  return items.sort((a, b) => a.sortText!.localeCompare(b.sortText!));
}
