// The render engine: what kustomize (and Flux on top of it) would apply, object by object.
// model/build is pure: a build reads only through its BuildInput and records every path it read
// (BuildResult.reads), so a caller can keep builds by what they read and redo only those an edit
// touches.
export { modelBuildInput } from './input';
export { fluxBuild, modelBuild } from './cache';
export { renderCluster, type KustomizationRender } from './cluster';
export { buildKustomization } from './engine';
export { renderFluxKustomization, substitutionOptedOut, type FluxKustomizationInput } from './flux';
export { envsubst, parseExpressions, type Expression } from './envsubst';
export type { BuildInput, BuildResult, BuildError, Rendered, Unresolved, SourceRef, ChainStep, PatchUse, PatchCandidate, IgnoredField } from './types';
