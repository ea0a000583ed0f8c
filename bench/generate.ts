// Generates a synthetic Flux repository in the design seed's layout (clusters/<c>,
// environments/{core,services,apps}/<component>), deterministic for a given size and seed.
// Run directly to (re)generate and print its location: node --import tsx bench/generate.ts [N]
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** Bump when the generated content changes, so cached repositories are rebuilt. */
export const GENERATOR_VERSION = 2;
/**
 * `light`: one Deployment and one HelmRelease per component, about 1.2 documents a file (the
 * first profile). `dense`: every component holds the objects a real namespace has (Namespace,
 * ResourceQuota, LimitRange, NetworkPolicy, ServiceAccount, Role, RoleBinding, Deployment,
 * Service, ConfigMap, HPA, PDB, a SOPS-encrypted Secret and its kustomization.yaml), about 3.4
 * documents a file: issue 15's profile, on which the targets are judged.
 */
export type BenchProfile = 'light' | 'dense';
export const DEFAULT_PROFILE: BenchProfile = 'dense';
export const DEFAULT_FILE_COUNT = 5000;
export const DEFAULT_SEED = 0x5eed;

const CLUSTERS = ['production', 'staging', 'us-west'];
const LAYERS = ['core', 'services', 'apps'] as const;
type LayerName = (typeof LAYERS)[number];
/** Share of the components in each layer. */
const LAYER_SHARE: Record<LayerName, number> = { core: 0.2, services: 0.3, apps: 0.5 };
/** Files every component has. */
const COMPONENT_FILES = ['kustomization.yaml', 'namespace.yaml', 'helmrelease.yaml', 'deployment.yaml', 'service.yaml', 'configmap.yaml', 'resourcequota.yaml'];
/** About one component in this many also has a multi-document rbac.yaml. */
const MULTI_DOC_EVERY = 10;

const WORDS: Record<LayerName, string[]> = {
  core: ['cert-manager', 'longhorn', 'ingress-nginx', 'external-dns', 'metallb', 'cilium', 'kyverno', 'velero', 'sealed-secrets', 'cloudnative-pg', 'prometheus-operator', 'rook-ceph'],
  services: ['postgres', 'redis', 'kafka', 'rabbitmq', 'minio', 'elasticsearch', 'mongodb', 'mariadb', 'nats', 'keycloak', 'vault', 'loki'],
  apps: ['podinfo', 'grafana', 'gitea', 'nextcloud', 'immich', 'paperless', 'jellyfin', 'homepage', 'miniflux', 'vaultwarden', 'outline', 'wikijs'],
};

export interface GeneratedRepo {
  root: string;
  files: number;
  components: number;
  regenerated: boolean;
}

/** mulberry32: a small, fast, seedable PRNG. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Component {
  name: string;
  layer: LayerName;
  folder: string;
  multiDoc: boolean;
  dependsOn?: string;
}

/** The repository's files as repository-relative path → text, exactly `fileCount` of them. */
export function generateFiles(fileCount = DEFAULT_FILE_COUNT, seed = DEFAULT_SEED, profile: BenchProfile = DEFAULT_PROFILE): Map<string, string> {
  return profile === 'dense' ? generateDense(fileCount, seed) : generateLight(fileCount, seed);
}

function generateLight(fileCount: number, seed: number): Map<string, string> {
  const random = prng(seed);
  const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];

  // Fixed files: .sops.yaml, one unlisted pdb.yaml (a mistake), and per cluster
  // gotk-sync.yaml, flux-system/kustomization.yaml and one file per layer.
  const fixed = 2 + CLUSTERS.length * (2 + LAYERS.length);
  const budget = fileCount - fixed;
  if (budget < COMPONENT_FILES.length * LAYERS.length) throw new Error(`at least ${fixed + COMPONENT_FILES.length * LAYERS.length} files are needed`);
  const componentCount = Math.floor(budget / (COMPONENT_FILES.length + 1 / MULTI_DOC_EVERY));
  let multiDocCount = budget - componentCount * COMPONENT_FILES.length;
  // Whatever the components cannot absorb as rbac.yaml becomes extra ConfigMap files.
  const extraFiles = Math.max(0, multiDocCount - componentCount);
  multiDocCount -= extraFiles;

  const components: Component[] = [];
  const byLayer: Record<LayerName, Component[]> = { core: [], services: [], apps: [] };
  const used = new Set<string>();
  for (let i = 0; i < componentCount; i++) {
    const share = i / componentCount;
    const layer: LayerName = share < LAYER_SHARE.core ? 'core' : share < LAYER_SHARE.core + LAYER_SHARE.services ? 'services' : 'apps';
    let name = pick(WORDS[layer]);
    if (used.has(name)) name = `${name}-${i}`;
    used.add(name);
    const component: Component = { name, layer, folder: `environments/${layer}/${name}`, multiDoc: false };
    const below = layer === 'services' ? byLayer.core : layer === 'apps' ? byLayer.services : [];
    if (below.length > 0) component.dependsOn = pick(below).name;
    components.push(component);
    byLayer[layer].push(component);
  }
  // Spread the multi-document files evenly over the components.
  for (let k = 0; k < multiDocCount; k++) components[Math.floor((k * componentCount) / multiDocCount)].multiDoc = true;

  const files = new Map<string, string>();
  files.set('.sops.yaml', SOPS_CONFIG);

  // Realistic mistakes, chosen deterministically.
  const missingResource = new Set([components[Math.floor(componentCount * 0.35)].name, components[Math.floor(componentCount * 0.85)].name]);
  const wrongPath = byLayer.apps[Math.floor(byLayer.apps.length / 3)].name;
  const unknownDependency = byLayer.apps[Math.floor(byLayer.apps.length / 2)].name;
  const unlisted = byLayer.services[0];

  for (const cluster of CLUSTERS) {
    files.set(`clusters/${cluster}/flux-system/gotk-sync.yaml`, gotkSync(cluster));
    files.set(`clusters/${cluster}/flux-system/kustomization.yaml`, 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - gotk-sync.yaml\n');
    for (const layer of LAYERS) {
      const docs = byLayer[layer].map((c) => {
        let folder = `./${c.folder}`;
        // A typo in one cluster only, as happens when an overlay is renamed.
        if (c.name === wrongPath && cluster === 'staging') folder = `./${c.folder}/overlays/staging`;
        let dependsOn = c.dependsOn;
        if (c.name === unknownDependency && cluster === 'us-west' && dependsOn) dependsOn = `${dependsOn}x`;
        return fluxKustomization(c.name, folder, dependsOn, layer !== 'apps');
      });
      files.set(`clusters/${cluster}/${layer}.yaml`, docs.join('---\n'));
    }
  }

  let extrasLeft = extraFiles;
  for (const c of components) {
    const replicas = int(1, 4);
    const cpu = pick([50, 100, 200, 250, 500]);
    const memory = pick([64, 128, 256, 512]);
    const port = pick([80, 3000, 8080, 9000, 9898]);
    const listed = ['namespace.yaml', 'resourcequota.yaml', 'configmap.yaml', 'helmrelease.yaml', 'deployment.yaml', 'service.yaml'];
    if (c.multiDoc) listed.push('rbac.yaml');
    const extras: string[] = [];
    while (extrasLeft > 0 && extras.length < 3) {
      extras.push(`configmap-extra-${extras.length}.yaml`);
      extrasLeft--;
    }
    listed.push(...extras);
    if (missingResource.has(c.name)) listed.push('hpa.yaml');
    files.set(`${c.folder}/kustomization.yaml`, kustomization(c.name, listed));
    files.set(`${c.folder}/namespace.yaml`, `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${c.name}\n  labels:\n    layer: ${c.layer}\n`);
    files.set(`${c.folder}/helmrelease.yaml`, helmRelease(c, cpu, memory, pick(['1.2.x', '4.x', '0.18.x', '2.9.x'])));
    files.set(`${c.folder}/deployment.yaml`, deployment(c.name, replicas, cpu, memory, port, int(1000, 9999)));
    files.set(`${c.folder}/service.yaml`, service(c.name, port));
    files.set(`${c.folder}/configmap.yaml`, configMap(c.name, `${c.name}-config`, int(3, 12), random));
    files.set(`${c.folder}/resourcequota.yaml`, resourceQuota(c.name, cpu * replicas * 4, memory * replicas * 4));
    if (c.multiDoc) files.set(`${c.folder}/rbac.yaml`, rbac(c.name));
    for (const extra of extras) files.set(`${c.folder}/${extra}`, configMap(c.name, `${c.name}-${extra.replace(/\.yaml$/, '')}`, int(2, 6), random));
  }
  // Written but never listed in its kustomization.yaml, so never deployed.
  files.set(`${unlisted.folder}/pdb.yaml`, pdb(unlisted.name));
  if (files.size !== fileCount) throw new Error(`generator produced ${files.size} files, not ${fileCount}`);
  return files;
}

/** The generated repository's folder, written only when missing or out of date. */
export async function ensureRepo(fileCount = DEFAULT_FILE_COUNT, seed = DEFAULT_SEED, profile: BenchProfile = DEFAULT_PROFILE): Promise<GeneratedRepo> {
  const root = path.join(os.tmpdir(), `gitops-guardrails-bench-${profile}-${fileCount}`);
  // The stamp lives beside the repository so the model never sees it.
  const stampFile = `${root}.stamp`;
  const stamp = JSON.stringify({ version: GENERATOR_VERSION, seed, fileCount, profile });
  const current = await fs.readFile(stampFile, 'utf8').catch(() => undefined);
  const exists = await fs.stat(root).then((s) => s.isDirectory()).catch(() => false);
  const files = generateFiles(fileCount, seed, profile);
  const components = [...files.keys()].filter((f) => f.endsWith('/namespace.yaml')).length;
  if (exists && current === stamp) return { root, files: files.size, components, regenerated: false };

  const staging = `${root}.tmp-${process.pid}`;
  await fs.rm(staging, { recursive: true, force: true });
  const folders = new Set([...files.keys()].map((f) => path.dirname(f)));
  for (const folder of folders) await fs.mkdir(path.join(staging, folder), { recursive: true });
  for (const [file, text] of files) await fs.writeFile(path.join(staging, file), text);
  await fs.rm(root, { recursive: true, force: true });
  await fs.rename(staging, root);
  await fs.writeFile(stampFile, stamp);
  return { root, files: files.size, components, regenerated: true };
}

const SOPS_CONFIG = `creation_rules:
  - path_regex: .*\\.sops\\.ya?ml$
    encrypted_regex: ^(data|stringData)$
    # The public test recipient of the sops project (never for real secrets).
    age: age1yt3tfqlfrwdwx0z0ynwplcr6qxcxfaqycuprpmy89nr83ltx74tqdpszlw
`;

function gotkSync(cluster: string): string {
  return `# This manifest was generated by flux. DO NOT EDIT.
---
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: flux-system
  namespace: flux-system
spec:
  interval: 1m0s
  ref:
    branch: main
  secretRef:
    name: flux-system
  url: ssh://git@github.com/example/fleet
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: flux-system
  namespace: flux-system
spec:
  interval: 10m0s
  path: ./clusters/${cluster}
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
`;
}

function fluxKustomization(name: string, folder: string, dependsOn: string | undefined, wait: boolean): string {
  return `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: ${name}
  namespace: flux-system
spec:
  interval: 10m
${dependsOn ? `  dependsOn:\n    - name: ${dependsOn}\n` : ''}  path: ${folder}
  prune: true
${wait ? '  wait: true\n' : ''}  timeout: 5m
  sourceRef:
    kind: GitRepository
    name: flux-system
  decryption:
    provider: sops
    secretRef:
      name: sops-age
`;
}

function kustomization(namespace: string, resources: string[]): string {
  return `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namespace: ${namespace}
resources:
${resources.map((r) => `  - ${r}`).join('\n')}
labels:
  - pairs:
      app.kubernetes.io/part-of: ${namespace}
`;
}

function helmRelease(c: Component, cpu: number, memory: number, version: string): string {
  return `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: ${c.name}
  namespace: ${c.name}
spec:
  interval: 30m
  chart:
    spec:
      chart: ${c.name.replace(/-\d+$/, '')}
      version: "${version}"
      sourceRef:
        kind: HelmRepository
        name: charts
        namespace: flux-system
  install:
    remediation:
      retries: 3
  upgrade:
    cleanupOnFail: true
  values:
    replicaCount: 1
    image:
      tag: latest
    serviceMonitor:
      enabled: true
    resources:
      requests:
        cpu: ${cpu}m
        memory: ${memory}Mi
      limits:
        memory: ${memory * 2}Mi
`;
}

function deployment(name: string, replicas: number, cpu: number, memory: number, port: number, build: number): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  labels:
    app.kubernetes.io/name: ${name}
spec:
  replicas: ${replicas}
  selector:
    matchLabels:
      app.kubernetes.io/name: ${name}
  template:
    metadata:
      labels:
        app.kubernetes.io/name: ${name}
    spec:
      serviceAccountName: ${name}
      securityContext:
        runAsNonRoot: true
      containers:
        - name: ${name}
          image: ghcr.io/example/${name}:1.${build % 40}.${build % 7}
          ports:
            - name: http
              containerPort: ${port}
          env:
            - name: LOG_LEVEL
              value: info
            - name: CONFIG_PATH
              value: /etc/${name}/config.yaml
          envFrom:
            - configMapRef:
                name: ${name}-config
          readinessProbe:
            httpGet:
              path: /healthz
              port: http
          resources:
            requests:
              cpu: ${cpu}m
              memory: ${memory}Mi
            limits:
              memory: ${memory * 2}Mi
        - name: metrics
          image: ghcr.io/example/exporter:0.${build % 11}.0
          ports:
            - name: metrics
              containerPort: 9100
          resources:
            requests:
              cpu: 10m
              memory: 16Mi
            limits:
              memory: 32Mi
`;
}

function service(name: string, port: number): string {
  return `apiVersion: v1
kind: Service
metadata:
  name: ${name}
spec:
  selector:
    app.kubernetes.io/name: ${name}
  ports:
    - name: http
      port: 80
      targetPort: ${port}
    - name: metrics
      port: 9100
      targetPort: metrics
`;
}

function configMap(component: string, name: string, keys: number, random: () => number): string {
  const lines: string[] = [];
  for (let i = 0; i < keys; i++) lines.push(`  KEY_${i}: "${component}-${Math.floor(random() * 1e6)}"`);
  return `apiVersion: v1
kind: ConfigMap
metadata:
  name: ${name}
data:
${lines.join('\n')}
  config.yaml: |
    server:
      port: 8080
      host: 0.0.0.0
    logging:
      level: info
`;
}

function resourceQuota(name: string, cpu: number, memory: number): string {
  return `apiVersion: v1
kind: ResourceQuota
metadata:
  name: ${name}-budget
spec:
  hard:
    requests.cpu: ${cpu + 100}m
    requests.memory: ${memory + 128}Mi
    limits.memory: ${memory * 2 + 256}Mi
    pods: "20"
`;
}

function rbac(name: string): string {
  return `apiVersion: v1
kind: ServiceAccount
metadata:
  name: ${name}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: ${name}-reader
rules:
  - apiGroups: [""]
    resources: ["configmaps", "secrets"]
    verbs: ["get", "list", "watch"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: ${name}-reader
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: Role
  name: ${name}-reader
subjects:
  - kind: ServiceAccount
    name: ${name}
`;
}

function pdb(name: string): string {
  return `apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: ${name}
spec:
  minAvailable: 1
  selector:
    matchLabels:
      app.kubernetes.io/name: ${name}
`;
}

/** Files every component of the dense profile has. */
const DENSE_FILES = ['kustomization.yaml', 'namespace.yaml', 'rbac.yaml', 'app.yaml', 'secret.sops.yaml'];
/** About one component in this many misspells a dependsOn in one cluster (did-you-mean at scale). */
const MISSPELT_EVERY = 20;

/**
 * The dense profile: five files per component (14 documents), the same clusters and layers as the
 * light one. Mistakes: two missing resources, a wrong spec.path, a misspelt dependsOn in us-west
 * for one component in MISSPELT_EVERY, and one unlisted manifest.
 */
function generateDense(fileCount: number, seed: number): Map<string, string> {
  const random = prng(seed);
  const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
  const fixed = 2 + CLUSTERS.length * (2 + LAYERS.length);
  const budget = fileCount - fixed;
  if (budget < DENSE_FILES.length * LAYERS.length) throw new Error(`at least ${fixed + DENSE_FILES.length * LAYERS.length} files are needed`);
  const componentCount = Math.floor(budget / DENSE_FILES.length);
  let extrasLeft = budget - componentCount * DENSE_FILES.length;

  const components: Component[] = [];
  const byLayer: Record<LayerName, Component[]> = { core: [], services: [], apps: [] };
  const used = new Set<string>();
  for (let i = 0; i < componentCount; i++) {
    const share = i / componentCount;
    const layer: LayerName = share < LAYER_SHARE.core ? 'core' : share < LAYER_SHARE.core + LAYER_SHARE.services ? 'services' : 'apps';
    let name = pick(WORDS[layer]);
    if (used.has(name)) name = `${name}-${i}`;
    used.add(name);
    const component: Component = { name, layer, folder: `environments/${layer}/${name}`, multiDoc: true };
    const below = layer === 'services' ? byLayer.core : layer === 'apps' ? byLayer.services : [];
    if (below.length > 0) component.dependsOn = pick(below).name;
    components.push(component);
    byLayer[layer].push(component);
  }

  const files = new Map<string, string>();
  files.set('.sops.yaml', SOPS_CONFIG);
  const missingResource = new Set([components[Math.floor(componentCount * 0.35)].name, components[Math.floor(componentCount * 0.85)].name]);
  const wrongPath = byLayer.apps[Math.floor(byLayer.apps.length / 3)].name;
  const unlisted = byLayer.services[0];
  for (const cluster of CLUSTERS) {
    files.set(`clusters/${cluster}/flux-system/gotk-sync.yaml`, gotkSync(cluster));
    files.set(`clusters/${cluster}/flux-system/kustomization.yaml`, 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - gotk-sync.yaml\n');
    for (const layer of LAYERS) {
      const docs = byLayer[layer].map((c, i) => {
        let folder = `./${c.folder}`;
        if (c.name === wrongPath && cluster === 'staging') folder = `./${c.folder}/overlays/staging`;
        let dependsOn = c.dependsOn;
        if (cluster === 'us-west' && dependsOn && i % MISSPELT_EVERY === MISSPELT_EVERY / 2) dependsOn = `${dependsOn}x`;
        return fluxKustomization(c.name, folder, dependsOn, layer !== 'apps');
      });
      files.set(`clusters/${cluster}/${layer}.yaml`, docs.join('---\n'));
    }
  }

  for (const c of components) {
    const replicas = int(1, 4);
    const cpu = pick([50, 100, 200, 250, 500]);
    const memory = pick([64, 128, 256, 512]);
    const port = pick([80, 3000, 8080, 9000, 9898]);
    const listed = ['namespace.yaml', 'rbac.yaml', 'app.yaml', 'secret.sops.yaml'];
    if (extrasLeft > 0) {
      extrasLeft--;
      listed.push('configmap-extra.yaml');
      files.set(`${c.folder}/configmap-extra.yaml`, configMap(c.name, `${c.name}-extra`, int(2, 6), random));
    }
    if (missingResource.has(c.name)) listed.push('missing.yaml');
    files.set(`${c.folder}/kustomization.yaml`, kustomization(c.name, listed));
    files.set(
      `${c.folder}/namespace.yaml`,
      [
        `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${c.name}\n  labels:\n    layer: ${c.layer}\n`,
        resourceQuota(c.name, cpu * replicas * 4, memory * replicas * 4),
        limitRange(c.name, cpu, memory),
        defaultDeny(),
      ].join('---\n'),
    );
    files.set(`${c.folder}/rbac.yaml`, rbac(c.name));
    files.set(
      `${c.folder}/app.yaml`,
      [deployment(c.name, replicas, cpu, memory, port, int(1000, 9999)), service(c.name, port), configMap(c.name, `${c.name}-config`, int(3, 12), random), hpa(c.name, replicas), pdb(c.name)].join('---\n'),
    );
    files.set(`${c.folder}/secret.sops.yaml`, sopsSecret(c.name, random));
  }
  files.set(`${unlisted.folder}/pdb-unlisted.yaml`, pdb(`${unlisted.name}-unlisted`));
  if (files.size !== fileCount) throw new Error(`generator produced ${files.size} files, not ${fileCount}`);
  return files;
}

function limitRange(name: string, cpu: number, memory: number): string {
  return `apiVersion: v1
kind: LimitRange
metadata:
  name: ${name}-defaults
spec:
  limits:
    - type: Container
      default:
        memory: ${memory * 2}Mi
      defaultRequest:
        cpu: ${cpu}m
        memory: ${memory}Mi
`;
}

function defaultDeny(): string {
  return `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny
spec:
  podSelector: {}
  policyTypes:
    - Ingress
    - Egress
`;
}

function hpa(name: string, replicas: number): string {
  return `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: ${name}
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: ${name}
  minReplicas: ${replicas}
  maxReplicas: ${replicas * 2}
  metrics:
    - type: Resource
      resource:
        name: cpu
        target:
          type: Utilization
          averageUtilization: 80
`;
}

/** A Secret as SOPS leaves it: values and MAC are well-formed ciphertext of random bytes, not real encryption. */
function sopsSecret(name: string, random: () => number): string {
  const b64 = (bytes: number) => Buffer.from(Array.from({ length: bytes }, () => Math.floor(random() * 256))).toString('base64');
  const enc = (bytes: number, type = 'str') => `ENC[AES256_GCM,data:${b64(bytes)},iv:${b64(32)},tag:${b64(16)},type:${type}]`;
  return `apiVersion: v1
kind: Secret
metadata:
    name: ${name}-credentials
type: Opaque
stringData:
    username: ${enc(8)}
    password: ${enc(24)}
sops:
    age:
        - recipient: age1yt3tfqlfrwdwx0z0ynwplcr6qxcxfaqycuprpmy89nr83ltx74tqdpszlw
          enc: |
            -----BEGIN AGE ENCRYPTED FILE-----
            ${b64(48)}
            -----END AGE ENCRYPTED FILE-----
    lastmodified: "2024-01-01T00:00:00Z"
    mac: ${enc(32)}
    encrypted_regex: ^(data|stringData)$
    version: 3.9.0
`;
}

if (require.main === module) {
  const count = Number(process.argv[2] ?? DEFAULT_FILE_COUNT);
  const profile = (process.argv[3] ?? process.env.BENCH_PROFILE ?? DEFAULT_PROFILE) as BenchProfile;
  ensureRepo(count, DEFAULT_SEED, profile).then(
    (repo) => console.log(`${repo.root}: ${repo.files} files, ${repo.components} components${repo.regenerated ? ' (generated)' : ' (up to date)'}`),
    (error) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
