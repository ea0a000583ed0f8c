// Custom requests shared by the client and the server, declared once (both sides import this).
// Positions are LSP positions; files are document URIs.
import { NotificationType, RequestType, RequestType0 } from 'vscode-languageserver-protocol';

export interface Location {
  uri: string;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
}

export interface ProblemCounts {
  errors: number;
  warnings: number;
  /** Information and hints. */
  others: number;
}

export interface ResourceItem {
  kind: string;
  name: string;
  namespace?: string;
  location: Location;
  problems: ProblemCounts;
}

export interface ComponentItem {
  name: string;
  layer?: string;
  /** Folder URI. */
  folder: string;
  namespaces: string[];
  resources: ResourceItem[];
  problems: ProblemCounts;
}

export interface KustomizationItem {
  name: string;
  /** Where it lands in this cluster; '' where the build cannot say. */
  namespace: string;
  location: Location;
  path: string;
  /** Folder URI it applies, or undefined when unresolved. */
  folder?: string;
  unresolvedReason?: string;
  dependsOn: string[];
  components: ComponentItem[];
  resourceCount: number;
  problems: ProblemCounts;
}

export interface ClusterItem {
  name: string;
  folder: string;
  rootLocation?: Location;
  /** In dependency order: a Kustomization comes after those it depends on. */
  kustomizations: KustomizationItem[];
  problems: ProblemCounts;
}

export interface LayerItem {
  name: string;
  order: number;
  components: ComponentItem[];
}

export interface ComponentsResult {
  source: 'config' | 'convention' | 'labels' | 'none';
  layers: LayerItem[];
  /** Components outside any layer (repositories without layers). */
  unlayered: ComponentItem[];
}

export interface GraphNode {
  id: string;
  kind: 'kustomization' | 'helmrelease';
  label: string;
  cluster?: string;
  layer?: string;
  component?: string;
  location: Location;
  /** Findings of the object, and for a Kustomization of what it applies (when the server has them). */
  problems?: ProblemCounts;
}

export interface GraphEdge {
  from: string;
  to: string;
  /** dependsOn: from the dependent to its dependency; applies: from a Kustomization to a HelmRelease it applies. */
  kind: 'dependsOn' | 'applies';
  /** The edge points up the layers (a lower layer depending on a higher one). */
  upward: boolean;
}

export interface GraphResult {
  nodes: GraphNode[];
  edges: GraphEdge[];
  layers: string[];
}

export interface FileContext {
  clusters: string[];
  layer?: string;
  component?: string;
  /** SOPS state of the file. */
  encryption?: 'encrypted' | 'plaintext-secret' | 'none';
}

export const ClustersRequest = new RequestType0<ClusterItem[], void>('gitopsGuardrails/clusters');
export const ComponentsRequest = new RequestType0<ComponentsResult, void>('gitopsGuardrails/components');
export const GraphRequest = new RequestType0<GraphResult, void>('gitopsGuardrails/graph');
export const FileContextRequest = new RequestType<{ uri: string }, FileContext, void>('gitopsGuardrails/fileContext');
/** Sent by the server after each re-check that changed the model or the findings. */
export const ModelChangedNotification = new NotificationType<{ version: number }>('gitopsGuardrails/modelChanged');
/**
 * Client → server: the workspace's trust changed (VS Code's workspace trust; the initial state is
 * `initializationOptions.workspaceTrusted`). Untrusted, the server runs no program: no sops binary,
 * no SOPS_AGE_KEY_CMD.
 */
export const WorkspaceTrustNotification = new NotificationType<{ trusted: boolean }>('gitopsGuardrails/workspaceTrust');

/** What the Fetch Charts command did (`server/src/features/charts.ts`). */
export interface FetchChartsResult {
  /** Why nothing was fetched at all (Restricted Mode, no workspace), when so. */
  refused?: string;
  fetched: number;
  cached: number;
  failed: number;
  /** One line per chart source, as `charts pull` prints them. */
  lines: string[];
}

/** Client → server: fetch the charts of every HelmRelease not in the cache yet (the Fetch Charts command). */
export const FetchChartsRequest = new RequestType0<FetchChartsResult, void>('gitopsGuardrails/charts/fetch');

// SOPS commands (`server/src/features/sops.ts`). Texts travel in memory only; an error is a
// ResponseError whose message is the engine's (file and key paths, never a value).
export interface SopsTextParams {
  /** The file's URI: picks the format, the `.sops.yaml` creation rule, and names it in messages. */
  uri: string;
  text: string;
}

export interface SopsTextResult {
  text: string;
}

export interface SopsReencryptParams {
  uri: string;
  /** The encrypted file the plaintext was decrypted from: its data key and unchanged ciphertexts are kept. */
  original: string;
  /** The edited plaintext. */
  edited: string;
}

export interface SopsRepairResult {
  text: string;
  /** Key paths of the values that were in clear (never the values). */
  repaired: string[];
}

export interface SopsStatus {
  encrypted: boolean;
  /** age recipients, then other master keys (PGP fingerprints, KMS ARNs, …). */
  recipients: string[];
  lastModified?: string;
  /** Key paths of values in encrypted positions that are in clear (a hand-edited sops file). */
  unencryptedValues?: string[];
  /** Not encrypted, and holds a Secret with `data` or `stringData`. */
  plaintextSecret?: boolean;
}

export const SopsEncryptRequest = new RequestType<SopsTextParams, SopsTextResult, void>('gitopsGuardrails/sops/encrypt');
export const SopsDecryptRequest = new RequestType<SopsTextParams, SopsTextResult, void>('gitopsGuardrails/sops/decrypt');
export const SopsReencryptRequest = new RequestType<SopsReencryptParams, SopsTextResult, void>('gitopsGuardrails/sops/reencrypt');
/** Encrypts the clear values of a partially encrypted file with its own data key and recomputes the MAC. */
export const SopsRepairRequest = new RequestType<SopsTextParams, SopsRepairResult, void>('gitopsGuardrails/sops/repair');
export const SopsStatusRequest = new RequestType<SopsTextParams, SopsStatus, void>('gitopsGuardrails/sops/status');

// The build shown to people (`server/src/features/render.ts`): what Flux applies for a Flux
// Kustomization in a cluster, or what kustomize builds of a kustomization folder, as YAML with a
// `# source: file:line` comment above each object.
export interface RenderParams {
  /** The file: a Flux Kustomization's (with `position` inside its document, or `kustomization`), or a kustomization.yaml. */
  uri: string;
  position?: { line: number; character: number };
  /** `namespace/name` of a Flux Kustomization (instead of a position). */
  kustomization?: string;
  /** The cluster to render it for; by default the first cluster that applies it. */
  cluster?: string;
  /** 'HEAD': the same target rendered from the last commit (git, no network) instead of the work tree. */
  ref?: 'HEAD';
}

export interface RenderResult {
  /** What was rendered, for titles: `flux-system/apps in prod`, `apps/web`. */
  title: string;
  /** The same target for another request (a HEAD render, a refresh): its Kustomization and cluster, or its folder. */
  target: { kustomization: string; cluster: string } | { folder: string };
  /** YAML documents, each preceded by `# source: file:line`; what could not be rendered is said in `#` lines at the top. */
  text: string;
}

export const RenderRequest = new RequestType<RenderParams, RenderResult, void>('gitopsGuardrails/render');
