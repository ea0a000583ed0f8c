// The repository model: every YAML document of the workspace and the graphs derived from them.
// Rules and features only read it; `model/build.ts` is the only place that makes one.
import type { Document } from 'yaml';
import type { DuplicateKey } from './duplicateKeys';
import type { FileShape } from './fileKinds';

/** A zero-based position, as LSP counts it (UTF-16 code units within the line). */
export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

/** A path into a YAML document: map keys and sequence indexes. */
export type NodePath = ReadonlyArray<string | number>;

export interface SyntaxProblem {
  message: string;
  range: Range;
}

/** One `*.yaml` / `*.yml` file of the repository, parsed once per change. */
export interface YamlFile {
  /** Path relative to the repository root, forward slashes, no leading `./`. */
  path: string;
  text: string;
  /** Offsets of line starts, for offset → position. */
  lineStarts: number[];
  documents: Document.Parsed[];
  /** The Kubernetes objects of its documents; none unless its shape is a manifest. */
  resources: Resource[];
  /** The first syntax problems (one per line), at most 20. */
  syntaxErrors: SyntaxProblem[];
  /** How many syntax problems the file has in all. */
  syntaxErrorCount: number;
  /** Where only strict YAML refuses the text and kustomize (Go yaml) reads it (goYaml.ts). */
  strictOnlyProblems: SyntaxProblem[];
  /** Keys written twice in one mapping. */
  duplicateKeys: DuplicateKey[];
  /** What the file's own text says it is (fileKinds.ts); the model adds the workspace's view. */
  shape: FileShape;
  /** The file carries SOPS metadata (a top-level `sops:` map with `mac` or key stanzas). */
  sopsEncrypted: boolean;
}

/** One YAML document that looks like a Kubernetes object (or a kustomization.yaml). */
export interface Resource {
  file: string;
  /** Index of the document within its file. */
  index: number;
  apiVersion: string;
  kind: string;
  name: string;
  /** metadata.namespace as written in the file, if any. */
  namespace?: string;
  /** Plain JavaScript value of the document. */
  object: any;
  /** Range of the whole document. */
  range: Range;
}

export type SourceKind =
  | 'GitRepository'
  | 'OCIRepository'
  | 'HelmRepository'
  | 'Bucket'
  | 'ExternalArtifact'
  | 'ArtifactGenerator';

export interface SourceRef {
  kind: string;
  name: string;
  namespace: string;
}

/** A Flux Kustomization (kustomize.toolkit.fluxcd.io). */
export interface FluxKustomization {
  resource: Resource;
  name: string;
  namespace: string;
  /** spec.path as written (may contain `${VAR}`). */
  path: string;
  sourceRef?: SourceRef;
  /**
   * The repository folder the path resolves to (relative, '' for the root), or undefined when the
   * source is not this repository's root (another branch, an OCI artifact of a sub-folder that
   * cannot be located, a generated artifact) or the path has unresolved variables.
   */
  folder?: string;
  /** Why folder is undefined. */
  unresolvedReason?: string;
  /** spec.path climbs out of the repository (`../../etc`): refused, nothing outside is ever read. */
  leavesRepository?: boolean;
  /**
   * The folder spec.path is read from when the source's root is a sub-folder of this repository
   * (flux.ts gitSourceRoots); undefined for the repository root.
   */
  sourceRoot?: string;
  dependsOn: DependencyRef[];
  targetNamespace?: string;
  /** Files this Kustomization applies (through kustomize inclusion), repository-relative. */
  appliedFiles: string[];
  /** spec fields the applying Kustomization's spec.patches set on this one (they win over its own). */
  inheritedSpec?: Record<string, unknown>;
  /**
   * Its spec as the applying Kustomization's build leaves it (kustomize patches, components and
   * replacements in the parent's folder, the parent's spec.patches): what kustomize-controller reads.
   */
  builtSpec?: Record<string, unknown>;
}

export interface HelmRelease {
  resource: Resource;
  name: string;
  /** '' when neither the file nor any kustomization or Flux Kustomization sets it. */
  namespace: string;
  dependsOn: DependencyRef[];
}

/** An entry of a `dependsOn` list. */
export interface DependencyRef {
  /** The name after the applying Kustomization's post-build substitution. */
  name: string;
  /** Namespace as written (substituted), else the dependent's own namespace. */
  namespace: string;
  /** Path of the entry node within its document, e.g. ['spec','dependsOn',0]. */
  nodePath: NodePath;
  /** Why the name is not known before Flux runs (a variable no substitution here provides). */
  unresolved?: string;
}

/** A folder built by kustomize (or, without kustomization.yaml, applied whole as Flux does). */
export interface KustomizeDir {
  folder: string;
  /** The kustomization.yaml (or .yml / Kustomization) file, if the folder has one. */
  file?: string;
  resource?: Resource;
  /** kustomize `namespace:` of this folder. */
  namespace?: string;
  /** Entries of resources/components/patches/... that name a local path. */
  entries: KustomizeEntry[];
}

export interface KustomizeEntry {
  field: KustomizeField;
  /** The value as written. */
  value: string;
  /** Resolved repository-relative target (file or folder). */
  target: string;
  /** What the target is on disk. */
  exists: 'file' | 'folder' | 'missing' | 'remote';
  nodePath: NodePath;
}

export interface Cluster {
  name: string;
  /** Repository-relative folder that is the cluster's root. */
  folder: string;
  /** The file that makes it a root (flux-system Kustomization, FluxInstance, HelmRelease, config) when there is one. */
  rootFile?: string;
  /** Where in rootFile the evidence is (e.g. spec.sync.path). */
  rootNodePath?: NodePath;
  /** How the root was found. */
  rootKind: 'flux-system' | 'FluxInstance' | 'HelmRelease' | 'patched-path' | 'self-path' | 'unreferenced' | 'config';
  /** Why this folder is a cluster root, in one sentence naming the evidence. */
  reason: string;
  /** Post-build variables the root sets for what it applies (a per-cluster patch of a templated path). */
  variables?: Record<string, string>;
  /** Flux Kustomizations this cluster applies, in the order they are reached. */
  kustomizations: FluxKustomization[];
}

export interface Layer {
  name: string;
  /** Position in the dependency order: lower layers may be depended upon by higher ones. */
  order: number;
  /** Repository-relative folders (or glob patterns) that belong to the layer. */
  folders: string[];
  components: Component[];
}

export interface Component {
  name: string;
  layer?: string;
  /** Repository-relative folder of the component. */
  folder: string;
  /** Namespaces its resources land in, after kustomize `namespace:` and Flux targetNamespace. */
  namespaces: string[];
  /** Namespaces it owns: its Namespace objects, else the one its kustomization injects. */
  ownNamespaces: string[];
}

export type KustomizeField =
  | 'resources'
  | 'components'
  | 'bases'
  | 'crds'
  | 'patches'
  | 'patchesStrategicMerge'
  | 'patchesJson6902'
  | 'configMapGenerator'
  | 'secretGenerator'
  | 'configurations'
  | 'replacements'
  | 'generators'
  | 'transformers';
