// Which component installs the CRDs of an API group: CustomResourceDefinition manifests found in
// the repository, and HelmReleases of well-known charts (extendable in .gitops-guardrails.yaml).
import { sourceKey, type SourceIndex } from './flux';
import { isKustomizationFileName } from './parse';
import { basename } from './paths';
import { DEAD_PATH } from './roots';
import type { HelmRelease, Resource } from './types';

/** Charts whose install brings CRDs, by chart name, with the API groups they serve. */
export const WELL_KNOWN_CRD_CHARTS: Readonly<Record<string, readonly string[]>> = {
  'cert-manager': ['cert-manager.io', 'acme.cert-manager.io'],
  'cloudnative-pg': ['postgresql.cnpg.io'],
  'plugin-barman-cloud': ['barmancloud.cnpg.io'],
  'external-secrets': ['external-secrets.io', 'generators.external-secrets.io'],
  'kube-prometheus-stack': ['monitoring.coreos.com'],
  'prometheus-operator-crds': ['monitoring.coreos.com'],
  'prometheus-operator': ['monitoring.coreos.com'],
  'victoria-metrics-operator': ['operator.victoriametrics.com'],
  'victoria-metrics-k8s-stack': ['operator.victoriametrics.com'],
  traefik: ['traefik.io', 'traefik.containo.us', 'hub.traefik.io'],
  'traefik-crds': ['traefik.io', 'traefik.containo.us', 'hub.traefik.io'],
  longhorn: ['longhorn.io'],
  'tailscale-operator': ['tailscale.com'],
  'redis-operator': ['redis.redis.opstreelabs.in'],
  kyverno: ['kyverno.io', 'wgpolicyk8s.io', 'reports.kyverno.io'],
  cilium: ['cilium.io'],
  'rook-ceph': ['ceph.rook.io', 'objectbucket.io'],
  volsync: ['volsync.backube'],
  'gateway-helm': ['gateway.envoyproxy.io'],
  'envoy-gateway': ['gateway.envoyproxy.io'],
  'dragonfly-operator': ['dragonflydb.io'],
  'snapshot-controller': ['snapshot.storage.k8s.io', 'groupsnapshot.storage.k8s.io'],
  'grafana-operator': ['grafana.integreatly.org'],
  keda: ['keda.sh', 'eventing.keda.sh'],
  metallb: ['metallb.io'],
  velero: ['velero.io'],
  'node-feature-discovery': ['nfd.k8s-sigs.io'],
  'silence-operator': ['observability.giantswarm.io'],
  'emqx-operator': ['apps.emqx.io'],
  'flux-operator': ['fluxcd.controlplane.io'],
  'opentelemetry-operator': ['opentelemetry.io'],
  'mariadb-operator': ['k8s.mariadb.com'],
  'mariadb-operator-crds': ['k8s.mariadb.com'],
  'secrets-store-csi-driver': ['secrets-store.csi.x-k8s.io'],
  'sealed-secrets': ['bitnami.com'],
  tuppr: ['tuppr.home-operations.com'],
  kopiur: ['kopiur.home-operations.com'],
  'system-upgrade-controller': ['upgrade.cattle.io'],
  'multus': ['k8s.cni.cncf.io'],
  'istio-base': ['networking.istio.io', 'security.istio.io', 'telemetry.istio.io', 'extensions.istio.io'],
  crossplane: ['pkg.crossplane.io', 'apiextensions.crossplane.io'],
};

/** Groups Kubernetes itself serves; their kinds need no installer. */
const BUILT_IN_GROUPS = new Set([
  '', 'apps', 'batch', 'autoscaling', 'policy', 'networking.k8s.io', 'rbac.authorization.k8s.io', 'storage.k8s.io',
  'scheduling.k8s.io', 'admissionregistration.k8s.io', 'apiextensions.k8s.io', 'apiregistration.k8s.io', 'coordination.k8s.io',
  'discovery.k8s.io', 'events.k8s.io', 'node.k8s.io', 'certificates.k8s.io', 'flowcontrol.apiserver.k8s.io', 'resource.k8s.io',
  'authentication.k8s.io', 'authorization.k8s.io', 'internal.apiserver.k8s.io', 'kustomize.config.k8s.io',
]);

/** Flux's own groups come with flux-system and need no dependsOn. */
export function isFluxGroup(group: string): boolean {
  return group.endsWith('.toolkit.fluxcd.io') || group === 'source.extensions.fluxcd.io';
}

export function apiGroup(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

export function isCustomResource(resource: Resource): boolean {
  const group = apiGroup(resource.apiVersion);
  return !BUILT_IN_GROUPS.has(group) && !isFluxGroup(group) && resource.kind !== 'CustomResourceDefinition';
}

export interface CrdInstaller {
  group: string;
  /** A kind when known (CRD manifests), else every kind of the group. */
  kind?: string;
  /** The CRD manifest, HelmRelease or Flux Kustomization (of another source) that installs it. */
  resource: Resource;
  /** `flux-kustomization`: a Flux Kustomization that applies CRDs from another repository or artifact. */
  via: 'crd-manifest' | 'helm-chart' | 'flux-kustomization';
  chart?: string;
}

/** The chart a HelmRelease installs: chart.spec.chart, or the last segment of its chartRef source's URL. */
export function chartName(release: HelmRelease, sources: SourceIndex): string | undefined {
  const spec = release.resource.object.spec ?? {};
  const chart = spec.chart?.spec?.chart;
  if (typeof chart === 'string') return chart.split('/').pop();
  const ref = spec.chartRef;
  if (ref && typeof ref.name === 'string') {
    const source = sources.get(sourceKey(String(ref.kind ?? 'OCIRepository'), typeof ref.namespace === 'string' ? ref.namespace : release.namespace || release.resource.namespace || '', ref.name));
    const url = source?.object.spec?.url;
    if (typeof url === 'string') return url.replace(/\/+$/, '').split('/').pop();
    return ref.name;
  }
  return undefined;
}

export function findCrdInstallers(
  resources: Iterable<Resource>,
  remoteKustomizations: readonly Resource[],
  releases: readonly HelmRelease[],
  sources: SourceIndex,
  extraCharts: Readonly<Record<string, readonly string[]>> = {},
  chartKinds: (release: HelmRelease) => readonly { group: string; kind?: string }[] = () => [],
  remoteFluxKustomizations: readonly { resource: Resource; evidence: readonly string[] }[] = [],
): Map<string, CrdInstaller[]> {
  const byGroup = new Map<string, CrdInstaller[]>();
  const add = (installer: CrdInstaller) => {
    if (!byGroup.has(installer.group)) byGroup.set(installer.group, []);
    byGroup.get(installer.group)!.push(installer);
  };
  for (const r of resources) {
    if (r.kind !== 'CustomResourceDefinition' || apiGroup(r.apiVersion) !== 'apiextensions.k8s.io') continue;
    const group = r.object.spec?.group;
    const kind = r.object.spec?.names?.kind;
    if (typeof group === 'string') add({ group, kind: typeof kind === 'string' ? kind : undefined, resource: r, via: 'crd-manifest' });
  }
  const table = { ...WELL_KNOWN_CRD_CHARTS, ...extraCharts };
  // Remote CRD bundles in a kustomization (…/monitoring.coreos.com_servicemonitors.yaml,
  // …/cert-manager.crds.yaml): the group or chart named in the URL.
  const allGroups = [...new Set(Object.values(table).flat())];
  for (const r of remoteKustomizations) {
    for (const group of remoteCrdGroups(r.object, table, allGroups)) add({ group, resource: r, via: 'crd-manifest' });
  }
  // Flux Kustomizations that apply CRDs from another repository or artifact (`crds-cloudnative-pg`
  // from the chart's Git repository, an ignore keeping only `templates/crds`): the groups or charts
  // their name, path or source names, where one of them says CRDs.
  for (const { resource, evidence } of remoteFluxKustomizations) {
    if (!evidence.some((text) => /crd/i.test(text))) continue;
    for (const group of remoteBundleGroups(evidence, table, allGroups)) add({ group, resource, via: 'flux-kustomization' });
  }
  for (const release of releases) {
    const chart = chartName(release, sources);
    // Charts that ship CRDs only when asked (crds.enabled / installCRDs) count unless told not to.
    if (!installsCrds(release.resource.object.spec)) continue;
    // The resolved chart's own crds/ first (with their kinds), then the table (CRDs from templates).
    const own = chartKinds(release);
    for (const { group, kind } of own) add({ group, kind, resource: release.resource, via: 'helm-chart', chart });
    for (const group of (chart ? table[chart] : undefined) ?? []) if (!own.some((o) => o.group === group)) add({ group, resource: release.resource, via: 'helm-chart', chart });
  }
  return byGroup;
}

/**
 * The groups of the remote CRD bundles a kustomization lists (…/monitoring.coreos.com_servicemonitors.yaml,
 * …/cert-manager.crds.yaml): the group or chart each URL names.
 */
function remoteCrdGroups(kustomization: any, table: Readonly<Record<string, readonly string[]>>, allGroups: readonly string[], strict = false): Set<string> {
  const groups = new Set<string>();
  const resources: unknown[] = Array.isArray(kustomization?.resources) ? kustomization.resources : [];
  for (const url of resources.filter((u: unknown): u is string => typeof u === 'string' && /^https?:\/\//.test(u) && /crd/i.test(u))) {
    const named = allGroups.filter((g) => url.includes(g));
    // Strict: only a chart's own bundle (`cert-manager.crds.yaml`), not a path that merely starts with its name.
    const fromChart = Object.entries(table).filter(([chart]) => (!strict && url.includes(`/${chart}`)) || url.includes(`${chart}.crds`)).flatMap(([, groups]) => groups);
    for (const group of named.length > 0 ? named : fromChart) groups.add(group);
  }
  return groups;
}

/** The groups a remote CRD bundle serves: the groups its texts name, else those of the charts they name (between non-alphanumerics). */
function remoteBundleGroups(texts: readonly string[], table: Readonly<Record<string, readonly string[]>>, allGroups: readonly string[]): string[] {
  const named = allGroups.filter((g) => texts.some((text) => text.includes(g)));
  if (named.length > 0) return named;
  const names = (chart: string) => (text: string) => {
    const lower = text.toLowerCase();
    for (let at = lower.indexOf(chart); at >= 0; at = lower.indexOf(chart, at + 1)) {
      if (!/[a-z0-9]/.test(lower[at - 1] ?? '') && !/[a-z0-9]/.test(lower[at + chart.length] ?? '')) return true;
    }
    return false;
  };
  return [...new Set(Object.entries(table).filter(([chart]) => texts.some(names(chart))).flatMap(([, groups]) => groups))];
}

/**
 * Whether a HelmRelease's first install brings the chart's CRDs: not with `install.crds: Skip`
 * (Helm's crds/ folder is skipped), nor with the charts' own switches turned off in its values
 * (`installCRDs: false`, `crds.enabled: false`, `crds.install: false`, `crds.create: false`,
 * `crds: false`).
 */
export function installsCrds(spec: any): boolean {
  if (!spec || typeof spec !== 'object') return true;
  if (spec.install?.crds === 'Skip') return false;
  const off = (value: unknown) => value === false || value === 'false';
  const switchedOff = (values: any): boolean =>
    !!values &&
    typeof values === 'object' &&
    (off(values.installCRDs) || off(values.crds) || off(values.crds?.enabled) || off(values.crds?.install) || off(values.crds?.create));
  return !switchedOff(spec.values);
}

/**
 * API groups installed out of band before Flux starts: helmfile releases (rendered with their
 * CRDs at bootstrap), CRD manifests and kustomizations of remote CRD bundles in files no cluster
 * applies. Repositories that bootstrap
 * CRDs this way need no dependsOn for them.
 */
export function bootstrapGroups(
  unreachable: readonly string[],
  fileDocuments: (path: string) => unknown[],
  extraCharts: Readonly<Record<string, readonly string[]>> = {},
): Map<string, string> {
  const table = { ...WELL_KNOWN_CRD_CHARTS, ...extraCharts };
  const allGroups = [...new Set(Object.values(table).flat())];
  const groups = new Map<string, string>();
  for (const path of unreachable) {
    for (const doc of fileDocuments(path)) {
      if (!doc || typeof doc !== 'object') continue;
      const object = doc as any;
      if (object.kind === 'CustomResourceDefinition' && typeof object.spec?.group === 'string') groups.set(object.spec.group, path);
      // A bootstrap kustomization of remote CRD bundles (`kubectl apply -k bootstrap/crds`).
      // Not from a dead folder (`.archive/`), which no bootstrap runs.
      if (isKustomizationFileName(basename(path)) && !DEAD_PATH.test(path)) for (const group of remoteCrdGroups(object, table, allGroups, true)) if (!groups.has(group)) groups.set(group, path);
      // helmfile `releases:` and kustomize `helmCharts:` rendered out of band install their charts' CRDs.
      const releases = [...(Array.isArray(object.releases) ? object.releases : []), ...(Array.isArray(object.helmCharts) ? object.helmCharts : [])];
      for (const release of releases) {
        const chart = typeof release?.chart === 'string' && !release.chart.includes('{{') ? release.chart.replace(/\/+$/, '').split('/').pop() : undefined;
        for (const name of [chart, release?.name]) {
          for (const group of (typeof name === 'string' ? table[name] : undefined) ?? []) if (!groups.has(group)) groups.set(group, path);
        }
      }
    }
  }
  return groups;
}
