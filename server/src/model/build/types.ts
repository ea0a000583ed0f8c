// The render engine's shapes: what it reads (BuildInput), what it makes (BuildResult, Rendered).
import type { FileTree } from '../kustomize';
import type { NodePath, YamlFile } from '../types';

/** What a build reads: the repository's file tree, its parsed YAML files, and other files' text. */
export interface BuildInput extends FileTree {
  /** A YAML file as the model parsed it (undefined for other files). */
  yamlFile(path: string): YamlFile | undefined;
  /** The text of any file of the repository (generator inputs, JSON, a `Kustomization` file). */
  readText(path: string): string | undefined;
  /** Its bytes, for inputs that need not be text (a generator's `files:`); readText's UTF-8 when absent. */
  readBytes?(path: string): Uint8Array | undefined;
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
  /**
   * Set when another rule reports the cause: a missing path or YAML that does not parse, or a
   * strategic-merge patch without a target that matches no object (kustomize/patch-no-target).
   */
  code?: 'missing-path' | 'yaml-syntax' | 'patch-no-target';
}

/**
 * A top-level field of the kustomization a Flux Kustomization builds that kustomize does not know:
 * kustomize refuses it, kustomize-controller drops it before the build (it has no effect).
 */
export interface IgnoredField {
  /** The key as written. */
  field: string;
  /** The key in the kustomization file. */
  source: SourceRef;
}

/** What the engine cannot see (a remote base, a Helm chart, a file outside the repository). */
export interface Unresolved {
  reason: string;
  source: SourceRef;
}

/** An object a patch could have targeted: its id and where it comes from (for a did-you-mean). */
export interface PatchCandidate {
  apiVersion: string;
  kind: string;
  name: string;
  namespace: string;
  source: SourceRef;
}

/** One application of a patch: what it selects, how many objects it reached. */
export interface PatchUse {
  /** The patch entry (a kustomization's patches / patchesJson6902 / patchesStrategicMerge item, a Flux spec.patches item). */
  source: SourceRef;
  /** The target selector, or the patch's own id for a strategic-merge patch without a target. */
  target: { group?: string; version?: string; kind?: string; name?: string; namespace?: string; labelSelector?: string; annotationSelector?: string };
  /** Whether the patch names its target with `target:` (kustomize ignores a selector that matches nothing; it refuses a patch without one). */
  selector: boolean;
  matched: number;
  /** The objects in reach when it matched nothing. */
  candidates?: PatchCandidate[];
  /** Something unresolved had been met before the patch ran: the objects in reach may be incomplete. */
  incomplete: boolean;
}

/**
 * The files a build reached, by the role in which it read each (in the order kustomize reads
 * them, each once). A refused build still walks every entry it can (see KustomizeBuilder.fail):
 * its reach is what the folder's build is made of, though it applies nothing. Only files that exist.
 */
export interface BuildReach {
  /** Resource files: documents accumulated (the files of a folder Flux generates a kustomization for included). */
  manifests: Set<string>;
  /** Patch files: patches, patchesStrategicMerge, patchesJson6902 (a PatchTransformer's path). */
  patches: Set<string>;
  /** The kustomization files read. */
  kustomizationFiles: Set<string>;
  /** Other inputs: generator files and envs, configurations, crds, replacements, transformer and generator configs. */
  inputs: Set<string>;
  /**
   * Folders nested too deep for one build to walk (the build is unresolved there): the rest of
   * the reach is each one's own build's (see graph.ts reachOf).
   */
  deferred: Set<string>;
}

/** A reach with nothing in it yet. */
export function emptyReach(): BuildReach {
  return { manifests: new Set(), patches: new Set(), kustomizationFiles: new Set(), inputs: new Set(), deferred: new Set() };
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
  /** The files it reached and in which role (also when it is refused). */
  reach: BuildReach;
  /** Every patch with a target the build applied (and the one without a target that made it fail), in order. */
  patches?: PatchUse[];
  /** Fields of the top kustomization Flux drops (builds under Flux only); absent when none. */
  ignored?: IgnoredField[];
}
