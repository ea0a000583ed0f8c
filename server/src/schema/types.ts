// The vocabulary of the schema engine: what a validation reports and what hover and completion ask.

/** A path into a YAML document: map keys and sequence indexes (as `model/types.ts` NodePath). */
export type DocumentPath = ReadonlyArray<string | number>;

export interface SchemaProblem {
  /** Where the problem is: the key itself for an unknown field, else the value at the path. */
  path: (string | number)[];
  message: string;
  /** 'key': point at the map key that ends `path`; 'value': point at the value at `path`. */
  target: 'key' | 'value';
  /** Judged by a schema that may not be the cluster's (the bundled snapshot): information, not an error. */
  uncertain?: boolean;
}

export interface ValidateOptions {
  /** A kustomize patch: required fields may be left out and `$patch`-style directives appear. */
  isPatch?: boolean;
  /**
   * Required fields may be filled in from elsewhere: a Flux Kustomization's spec.patches, or
   * kustomize commonLabels creating a Deployment's selector. The caller knows; nothing else changes.
   */
  ignoreRequired?: boolean;
  /**
   * The document is a kustomization file (kustomization.yaml, -.yml, Kustomization): validate it
   * against the kustomize schema even when it has no apiVersion or kind.
   */
  isKustomization?: boolean;
}

/** validate() when no schema is known for the document's apiVersion and kind. */
export interface UnknownKind {
  /** `<apiVersion> <kind>`, e.g. `cert-manager.io/v1 Certificate`. */
  unknownKind: string;
}

export type ValidationResult = SchemaProblem[] | UnknownKind;

export interface Deprecation {
  /** The apiVersion to use instead, or undefined when none serves this kind. */
  replacement?: string;
  message: string;
  /** Removed from what current Kubernetes or Flux serves, not only deprecated. */
  removed: boolean;
  /** Said by a CustomResourceDefinition (the repository's or the bundled snapshot's), not the built-in table. */
  fromCustomResourceDefinition?: boolean;
}

export interface DeprecatedKustomizeField {
  field: string;
  replacement: string;
  /** The mechanical rewrite, in one or two sentences. */
  rewrite: string;
}

export interface FieldDescription {
  /** A kubectl-explain style type: string, integer, []Container, map[string]string, int-or-string ... */
  type: string;
  description?: string;
  enum?: unknown[];
  /** The default value, where the schema says (a chart's values.yaml defaults). */
  default?: unknown;
}

export interface FieldCompletion extends FieldDescription {
  name: string;
  required: boolean;
}

export interface Completions {
  /** Field names allowed at the path (empty for a free-form map or a scalar). */
  fields: FieldCompletion[];
  /** Allowed values at the path, when the schema lists them. */
  values: unknown[];
}
