// The render engine's shapes: what it reads (BuildInput), what it makes (BuildResult, Rendered).
import type { FileTree } from '../kustomize';
import type { NodePath, YamlFile } from '../types';

/** What a build reads: the repository's file tree, its parsed YAML files, and other files' text. */
export interface BuildInput extends FileTree {
  /** A YAML file as the model parsed it (undefined for other files). */
  yamlFile(path: string): YamlFile | undefined;
  /** The text of any file of the repository (generator inputs, JSON, a `Kustomization` file). */
  readText(path: string): string | undefined;
}

/** Where a rendered object, or an error, comes from: a document of a file, or an entry of a kustomization. */
export interface SourceRef {
  file: string;
  /** Document index within the file (objects) — absent for generated objects. */
  index?: number;
  /** Path of the node within that document (a kustomization entry, a generator). */
  nodePath?: NodePath;
}

/** One step of the chain that produced an object: a kustomization, or a patch or transformer of one. */
export interface ChainStep {
  /** The kustomization.yaml (or Flux Kustomization file) the step belongs to. */
  file: string;
  /** What acted: 'resources', 'patches', 'namespace', 'configMapGenerator', 'flux'... */
  field: string;
  nodePath?: NodePath;
}

/** One object as kustomize (and Flux) would emit it. */
export interface Rendered {
  apiVersion: string;
  kind: string;
  name: string;
  /** '' when none is set (or the kind is cluster-scoped). */
  namespace: string;
  /** The final content. */
  object: any;
  source: SourceRef;
  /** Kustomizations and transformations, innermost first. */
  chain: ChainStep[];
}

/** What made kustomize refuse the folder: kustomize's build fails, Flux's too. */
export interface BuildError {
  message: string;
  source: SourceRef;
  /** Set when the cause is a missing path or YAML that does not parse (other rules report those). */
  code?: 'missing-path' | 'yaml-syntax';
}

/** What the engine cannot see (a remote base, a Helm chart, a file outside the repository). */
export interface Unresolved {
  reason: string;
  source: SourceRef;
}

export interface BuildResult {
  /** The folder built, repository-relative. */
  folder: string;
  objects: Rendered[];
  /** Set when the build is refused; then objects is empty. */
  error?: BuildError;
  /** Parts the engine could not see: objects is then incomplete. */
  unresolved: Unresolved[];
  /** Every path the build read (files, folder listings, what a path is): an edit elsewhere keeps it. */
  reads: Set<string>;
}
