// Types of validators.js, which scripts/gen-k8s-schemas.mjs writes at build time (ajv standalone).
export interface GeneratedError {
  instancePath: string;
  schemaPath: string;
  keyword: string;
  params: Record<string, any>;
}
export interface GeneratedValidator {
  (data: unknown): boolean;
  errors?: GeneratedError[] | null;
}
/** `<apiVersion>/<kind>` → export name in `k8s`. */
export const kinds: Record<string, string>;
export const k8s: Record<string, GeneratedValidator>;
export const kustomization: GeneratedValidator;
