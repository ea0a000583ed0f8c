// Everything the language server needs past `initialize`: the model, the rules and the features.
// esbuild bundles it apart (dist/engine.js) and server.ts requires it after answering
// `initialize`, so that answer waits only for the LSP library (issue 15: spawn → initialize).
import type { ParamsCheck } from './params';
import type { RegisterRequest } from './features/sops';
import * as sops from './features/sops';

export { codeLenses } from './features/codeLens';
export { completion } from './features/completion';
export { definition } from './features/definition';
export { codeActionsFor, fixAllAction, toDiagnostic } from './features/diagnostics';
export { suppressionFixes } from './features/suppress';
export { documentLinks } from './features/documentLinks';
export { fileContext } from './features/fileContext';
export { render } from './features/render';
export { headTree } from './gitHead';
export { dependencyGraph } from './features/graph';
export { hover, sopsHover } from './features/hover';
export { schemaHover } from './features/schemaAssist';
export { references } from './features/references';
export { prepareRename, rename } from './features/rename';
export { documentSymbols, workspaceSymbols } from './features/symbols';
export { clusters, components } from './features/tree';
export { ChartFetching } from './features/charts';
export { CheckSession } from './session';
export { RepoModel } from './model/model';
export { RULE_IDS } from './rules';
export { cacheDir } from './model/parse-cache';
export { chartStoreInputs, readResults, storeIfUnchanged, workspaceDigest } from './result-cache';
export { readSettings } from './settings';
export const applyEncryptedFix = sops.applyEncryptedFix;

/**
 * The SOPS requests (features/sops.ts), by method: server.ts registers their methods at start and
 * hands each request here, with its params check.
 */
export function sopsRequests(getRoot: () => string | undefined, settings: Parameters<typeof sops.registerSopsRequests>[2]): Map<string, { check: ParamsCheck; handler: (params: unknown) => unknown }> {
  const handlers = new Map<string, { check: ParamsCheck; handler: (params: unknown) => unknown }>();
  const register: RegisterRequest = (type, check, handler) => handlers.set(type.method, { check, handler: handler as (params: unknown) => unknown });
  sops.registerSopsRequests(register, getRoot, settings);
  return handlers;
}
