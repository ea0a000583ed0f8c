// A small Flux workspace for language-feature tests: one cluster, an app folder with a HelmRelease
// that uses chartRef, valuesFrom and dependsOn, a SOPS-encrypted Secret and a plain one.
// Line numbers in the tests are zero-based lines of these files.
import { yaml } from '../helpers/repo';

export const APP_FILES: Record<string, string> = {
  'clusters/prod/flux-system/gotk-sync.yaml': yaml`
    apiVersion: source.toolkit.fluxcd.io/v1
    kind: GitRepository
    metadata:
      name: flux-system
      namespace: flux-system
    spec:
      url: ssh://git@example.com/platform/app-repo
      ref:
        branch: main
    ---
    apiVersion: kustomize.toolkit.fluxcd.io/v1
    kind: Kustomization
    metadata:
      name: flux-system
      namespace: flux-system
    spec:
      path: ./clusters/prod
      sourceRef:
        kind: GitRepository
        name: flux-system
  `,
  'clusters/prod/flux-system/kustomization.yaml': yaml`
    apiVersion: kustomize.config.k8s.io/v1beta1
    kind: Kustomization
    resources:
      - gotk-sync.yaml
  `,
  'clusters/prod/apps.yaml': yaml`
    apiVersion: kustomize.toolkit.fluxcd.io/v1
    kind: Kustomization
    metadata:
      name: apps
      namespace: flux-system
    spec:
      path: ./apps
      sourceRef:
        kind: GitRepository
        name: flux-system
      decryption:
        provider: sops
        secretRef:
          name: sops-age
      postBuild:
        substituteFrom:
          - kind: ConfigMap
            name: cluster-vars
  `,
  'clusters/prod/vars.yaml': yaml`
    apiVersion: v1
    kind: ConfigMap
    metadata:
      name: cluster-vars
      namespace: flux-system
    data:
      DOMAIN: example.com
  `,
  'clusters/prod/sops-age.yaml': yaml`
    apiVersion: v1
    kind: Secret
    metadata:
      name: sops-age
      namespace: flux-system
    stringData:
      age.agekey: ENC[AES256_GCM,data:AAAA,iv:BBBB,tag:CCCC,type:str]
    sops:
      age:
        - recipient: age1yt3tfqlfrwdwx0z0ynwplcr6qxcxfaqycuprpmy89nr83ltx74tqdpszlw
      lastmodified: "2025-01-01T00:00:00Z"
      mac: ENC[AES256_GCM,data:DDDD,iv:EEEE,tag:FFFF,type:str]
      version: 3.9.0
  `,
  'apps/kustomization.yaml': yaml`
    apiVersion: kustomize.config.k8s.io/v1beta1
    kind: Kustomization
    namespace: web
    resources:
      - namespace.yaml
      - repository.yaml
      - release.yaml
      - redis.yaml
      - values.yaml
  `,
  'apps/namespace.yaml': yaml`
    apiVersion: v1
    kind: Namespace
    metadata:
      name: web
  `,
  'apps/repository.yaml': yaml`
    apiVersion: source.toolkit.fluxcd.io/v1
    kind: OCIRepository
    metadata:
      name: podinfo
      namespace: web
    spec:
      url: oci://ghcr.io/stefanprodan/charts/podinfo
      ref:
        semver: 6.x
  `,
  'apps/release.yaml': yaml`
    apiVersion: helm.toolkit.fluxcd.io/v2
    kind: HelmRelease
    metadata:
      name: web
      namespace: web
    spec:
      dependsOn:
        - name: redis
      chartRef:
        kind: OCIRepository
        name: podinfo
      valuesFrom:
        - kind: ConfigMap
          name: web-values
        - kind: Secret
          name: web-secret
  `,
  'apps/redis.yaml': yaml`
    apiVersion: helm.toolkit.fluxcd.io/v2
    kind: HelmRelease
    metadata:
      name: redis
      namespace: web
    spec:
      chartRef:
        kind: OCIRepository
        name: podinfo
  `,
  'apps/values.yaml': yaml`
    apiVersion: v1
    kind: ConfigMap
    metadata:
      name: web-values
    data:
      values.yaml: |
        replicaCount: 2
    ---
    apiVersion: v1
    kind: Secret
    metadata:
      name: web-secret
    stringData:
      token: not-a-real-token
  `,
};
