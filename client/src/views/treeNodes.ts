// The nodes both tree views are built of, as plain data: the views build them from the server's
// answers, `treeItems.ts` turns them into VS Code tree items. Pure: no `vscode`.
import type { KustomizationItem, Location, ProblemCounts, ResourceItem } from '../../../server/src/protocol';
import type { GraphTarget } from '../graph/targets';
import { describeProblems } from './problems';

export type TreeNodeKind = 'cluster' | 'kustomization' | 'layer' | 'component' | 'namespace' | 'resource';

/**
 * A node of a tree view. Commands in the views' context menus receive the node itself as their
 * argument: `location.uri` is then the manifest's document URI (for `gitopsGuardrails.sops.encrypt`).
 */
export interface TreeNode {
  /** Unique in its view and stable across refreshes, so expansion survives a model change. */
  id: string;
  kind: TreeNodeKind;
  label: string;
  description?: string;
  tooltip: string;
  /** Menus' `viewItem`: the kind, refined for Secrets (`resource.secret`) and HelmReleases. */
  contextValue: string;
  /** A codicon id. */
  icon: string;
  problems?: ProblemCounts;
  /** Opened on click. */
  location?: Location;
  /** Revealed by "Reveal in Explorer View": a folder or file URI. */
  revealUri?: string;
  /** Looked for by "Reveal in Dependency Graph". */
  graphTarget?: GraphTarget;
  expanded?: boolean;
  children: TreeNode[];
}

/** How a view shows a URI (relative to the workspace in VS Code; as is in tests). */
export type DescribeUri = (uri: string) => string;

const RESOURCE_ICONS: Record<string, string> = {
  Namespace: 'symbol-namespace',
  Secret: 'key',
  ConfigMap: 'settings',
  HelmRelease: 'rocket',
  Kustomization: 'symbol-module',
  Deployment: 'server-process',
  StatefulSet: 'server-process',
  DaemonSet: 'server-process',
  CronJob: 'watch',
  Job: 'play',
  Service: 'plug',
  Ingress: 'globe',
  HTTPRoute: 'globe',
  ResourceQuota: 'dashboard',
  LimitRange: 'dashboard',
  NetworkPolicy: 'shield',
  GitRepository: 'repo',
  HelmRepository: 'repo',
  OCIRepository: 'repo',
};

export function resourceContextValue(kind: string): string {
  if (kind === 'Secret') return 'resource.secret';
  if (kind === 'HelmRelease') return 'resource.helmrelease';
  return 'resource';
}

export function tooltipOf(lines: (string | undefined)[], problems?: ProblemCounts): string {
  return [...lines, describeProblems(problems)].filter((line): line is string => Boolean(line)).join('\n');
}

export function resourceNode(parentId: string, resource: ResourceItem, describeUri: DescribeUri): TreeNode {
  const { kind, name, namespace, location } = resource;
  return {
    id: `${parentId}/${kind}:${namespace ?? ''}/${name}@${location.uri}#${location.range.start.line}`,
    kind: 'resource',
    label: name,
    description: namespace ? `${kind} · ${namespace}` : kind,
    tooltip: tooltipOf([`${kind} ${namespace ? `${namespace}/` : ''}${name}`, `${describeUri(location.uri)}:${location.range.start.line + 1}`], resource.problems),
    contextValue: resourceContextValue(kind),
    icon: RESOURCE_ICONS[kind] ?? 'symbol-object',
    problems: resource.problems,
    location,
    revealUri: location.uri,
    graphTarget: kind === 'HelmRelease' ? { location } : undefined,
    children: [],
  };
}

const keyOf = (namespace: string, name: string) => `${namespace}/${name}`;

/** A dependsOn entry ("name" or "namespace/name") as a key, relative to its dependent's namespace. */
export function dependencyKey(dependent: Pick<KustomizationItem, 'namespace'>, entry: string): string {
  return entry.includes('/') ? entry : keyOf(dependent.namespace, entry);
}

/** The first node, depth first, that satisfies `predicate`. */
export function findNode(nodes: readonly TreeNode[], predicate: (node: TreeNode) => boolean): TreeNode | undefined {
  for (const node of nodes) {
    if (predicate(node)) return node;
    const found = findNode(node.children, predicate);
    if (found) return found;
  }
  return undefined;
}

/** A resource whose manifest is the document `uri`; `normalize` spells URIs one way (VS Code escapes more). */
export function isResourceOf(uri: string, normalize: (uri: string) => string = (u) => u): (node: TreeNode) => boolean {
  const wanted = normalize(uri);
  return (node) => node.kind === 'resource' && node.location !== undefined && normalize(node.location.uri) === wanted;
}

/**
 * Makes every id of the tree unique (`#2`, `#3` on repeats), in place: VS Code refuses to draw a
 * tree with two items of one id, and the server may list one object twice.
 */
export function ensureUniqueIds(roots: TreeNode[]): TreeNode[] {
  const seen = new Set<string>();
  const visit = (node: TreeNode) => {
    let id = node.id;
    for (let n = 2; seen.has(id); n++) id = `${node.id}#${n}`;
    seen.add(id);
    node.id = id;
    node.children.forEach(visit);
  };
  roots.forEach(visit);
  return roots;
}
