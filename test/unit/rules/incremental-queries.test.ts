// The queries of model/query.ts that incremental-checks.test.ts does not reach: post-build
// substitution (a Kustomization's findings read the files it applies), the schema registry (a
// query on the graph over one on the CRD objects), .sops.yaml creation rules (per YamlFile),
// dependency edges between layers and reference sites (features). After any series of edits an
// incrementally re-checked model must answer exactly what a fresh one does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { check, FLUX_SYSTEM_SYNC, fluxKs, repo, webDeployment, yaml } from '../../helpers/repo';
import { dependencyEdges } from '../../../server/src/model/edges';
import { allSites } from '../../../server/src/features/crossReferences';
import type { RepoModel } from '../../../server/src/model/model';
import { assertIncrementalEqualsFresh } from '../../helpers/incremental';

const appsKs = (extra: string) => fluxKs('apps', './environments/apps', extra);
const POST_BUILD = '  dependsOn:\n    - name: core\n  postBuild:\n    substitute:\n      DOMAIN: example.com\n    substituteFrom:\n      - kind: ConfigMap\n        name: vars\n';
const vars = (data: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: vars\n  namespace: flux-system\ndata:\n${data}`;
const deploy = (env: string) => webDeployment(1, `          env:\n            - name: URL\n              value: ${env}\n`);

const crd = (sizeType: string) => yaml`
  apiVersion: apiextensions.k8s.io/v1
  kind: CustomResourceDefinition
  metadata:
    name: widgets.example.com
  spec:
    group: example.com
    names:
      kind: Widget
      plural: widgets
    scope: Namespaced
    versions:
      - name: v1
        served: true
        storage: true
        schema:
          openAPIV3Schema:
            type: object
            properties:
              spec:
                type: object
                properties:
                  size:
                    type: ${sizeType}
`;
const widget = (size: string) => `apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\nspec:\n  size: ${size}\n`;
const secret = (password: string) => `apiVersion: v1\nkind: Secret\nmetadata:\n  name: creds\nstringData:\n  password: ${password}\n`;
const sops = (regex: string) => `creation_rules:\n  - path_regex: ${regex}\n    age: age1qyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqs3290gq\n`;
const coreDeploy = (url: string) => webDeployment(1, `          env:\n            - name: PEER\n              value: ${url}\n`).replace('name: web', 'name: dns');

const initial: Record<string, string | null> = {
  'clusters/prod/flux-system/gotk-sync.yaml': FLUX_SYSTEM_SYNC('prod'),
  'clusters/prod/core.yaml': fluxKs('core', './environments/core'),
  'clusters/prod/apps.yaml': appsKs(POST_BUILD),
  'clusters/prod/vars.yaml': vars('  CLUSTER: prod\n'),
  '.sops.yaml': sops('.*secret.*'),
  'environments/core/kustomization.yaml': 'resources:\n  - dns\n',
  'environments/core/dns/kustomization.yaml': 'namespace: dns\nresources:\n  - ns.yaml\n  - crd.yaml\n  - dns.yaml\n',
  'environments/core/dns/ns.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: dns\n',
  'environments/core/dns/crd.yaml': crd('integer'),
  'environments/core/dns/dns.yaml': coreDeploy('http://example.com'),
  'environments/apps/kustomization.yaml': 'resources:\n  - web\n',
  'environments/apps/web/kustomization.yaml': 'namespace: web\nresources:\n  - ns.yaml\n  - deploy.yaml\n  - widget.yaml\n  - secret.yaml\n',
  'environments/apps/web/ns.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: web\n',
  'environments/apps/web/deploy.yaml': deploy('"https://${DOMAIN}/${CLUSTER}/${MISSING}"'),
  'environments/apps/web/widget.yaml': widget('"three"'),
  'environments/apps/web/secret.yaml': secret('hunter2'),
};

const edits: Array<[string, string | null | undefined]> = [
  // Substitution: the variables a Kustomization provides, and the files it applies.
  ['environments/apps/web/deploy.yaml', deploy('"https://${DOMAIN}/${CLUSTER}"')],
  ['environments/apps/web/deploy.yaml', deploy('"https://${DOMAIN/${CLUSTER}"')],
  ['environments/apps/web/deploy.yaml', deploy('"http://dns.dns.svc.cluster.local/${MISSING}"')],
  ['clusters/prod/vars.yaml', vars('  CLUSTER: prod\n  MISSING: x\n')],
  ['clusters/prod/vars.yaml', undefined],
  ['clusters/prod/apps.yaml', appsKs('  dependsOn:\n    - name: core\n')],
  ['clusters/prod/apps.yaml', appsKs(POST_BUILD)],
  ['clusters/prod/apps.yaml', appsKs(POST_BUILD.replace('name: core', 'name: coer'))],
  // Schemas: the repository's CRD, and documents of its kind.
  ['environments/apps/web/widget.yaml', widget('3')],
  ['environments/apps/web/widget.yaml', widget('3\n  colour: red')],
  ['environments/core/dns/crd.yaml', crd('string')],
  ['environments/core/dns/crd.yaml', undefined],
  ['environments/core/dns/crd.yaml', crd('integer')],
  ['environments/apps/web/kustomization.yaml', 'namespace: web\nresources:\n  - ns.yaml\n  - deploy.yaml\n  - secret.yaml\n'],
  // SOPS creation rules and the Secret they cover.
  ['.sops.yaml', sops('.*nothing.*')],
  ['.sops.yaml', 'creation_rules: ['],
  ['.sops.yaml', undefined],
  ['environments/apps/web/secret.yaml', secret('${PASSWORD}')],
  ['environments/apps/web/secret.yaml', secret('correct-horse')],
  // Edges between layers: a reference up from core to apps, and back.
  ['environments/core/dns/dns.yaml', coreDeploy('http://web.web.svc.cluster.local')],
  ['environments/core/dns/dns.yaml', coreDeploy('http://example.com')],
  ['environments/core/dns/ns.yaml', 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: dns\n  labels:\n    team: platform\n'],
];

/** Findings, dependency edges and reference sites: reuse must keep nothing stale. */
function snapshot(model: RepoModel) {
  return {
    findings: check(model).map((f) => JSON.parse(JSON.stringify(f))),
    edges: dependencyEdges(model).map((e) => ({ kind: e.kind, from: e.from.name, to: e.to.name, file: e.resource.file, path: e.nodePath.join('/'), target: e.target })),
    sites: allSites(model).map((s) => ({ key: s.key, via: s.via, file: s.file, path: s.nodePath.join('/'), range: s.range })),
  };
}

test('incremental re-checks of substitutions, schemas, SOPS rules, edges and references equal a fresh model', () => {
  assertIncrementalEqualsFresh(initial, edits, snapshot, { numRuns: 60 });
});

test('the fixture exercises the rules and features above (the property is not vacuous)', () => {
  const model = repo(initial);
  const rules = new Set(check(model).map((f) => f.rule));
  for (const rule of ['flux/invalid-substitution', 'schema/invalid', 'secrets/unencrypted']) assert.ok(rules.has(rule), `${rule} fires on the initial repository (${[...rules].join(', ')})`);
  assert.ok(allSites(model).length > 0, 'reference sites');
  const up = repo({ ...initial, 'environments/core/dns/dns.yaml': coreDeploy('http://web.web.svc.cluster.local') });
  assert.ok(dependencyEdges(up).length > 0, 'dependency edges');
  assert.ok(check(up).some((f) => f.rule === 'layers/direction'), 'layers/direction fires on an upward reference');
});
