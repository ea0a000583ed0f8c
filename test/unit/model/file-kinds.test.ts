// What each YAML file is (RepoModel.fileKind), decided once from its shape and the workspace.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { check, FLUX_SYSTEM_SYNC, repo, yaml } from '../../helpers/repo';

const SYNC = { 'clusters/c/flux-system/gotk-sync.yaml': FLUX_SYSTEM_SYNC('c') };

test('other tools\' YAML is recognised by its keys, whatever folder it is in', () => {
  const files: Record<string, [string, string]> = {
    'ci/build.yaml': ['on:\n  push: {}\njobs:\n  build:\n    runs-on: ubuntu-latest\n', 'a CI workflow (GitHub Actions, Forgejo or Gitea)'],
    'pipelines/main.yml': ['stages: [test]\ninclude:\n  - local: x.yml\n', 'a GitLab CI pipeline'],
    '.gitlab-ci.yml': ['test:\n  script: [make]\n', 'a GitLab CI pipeline'],
    'infra/site.yml': ['- hosts: all\n  roles: [k3s]\n', 'an Ansible playbook'],
    'infra/roles/k3s/tasks/main.yml': ['- name: install\n  ansible.builtin.shell: curl | sh\n', 'Ansible tasks'],
    'infra/inventory.yaml': ['all:\n  hosts:\n    node1: {}\n', 'an Ansible inventory'],
    'Taskfile.yaml': ["version: '3'\ntasks:\n  default:\n    cmds: [echo]\n", 'a Taskfile'],
    'docker/compose.yaml': ['services:\n  db:\n    image: postgres\n', 'a Docker Compose file'],
    'mkdocs.yml': ['site_name: Docs\n', 'an MkDocs configuration'],
    'bootstrap/helmfile.yaml': ['releases:\n  - name: cilium\n    chart: cilium/cilium\n', 'a helmfile'],
    '.pre-commit-config.yaml': ['repos:\n  - repo: x\n    hooks: []\n', 'a pre-commit configuration'],
    'talos/talconfig.yaml': ['clusterName: home\nnodes: []\n', 'a talhelper configuration'],
    'talos/patch.yaml': ['machine:\n  network: {}\n', 'a Talos machine configuration'],
    '.github/renovate.yaml': ['extends: [config:base]\npackageRules: []\n', 'a Renovate configuration'],
    'catalog/app.yaml': ['apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: app\nspec:\n  type: service\n', 'a Backstage catalog entity (apiVersion backstage.io/…)'],
    'values/app.yaml': ['replicas: 2\n', 'no document has a kind: data or configuration, not a Kubernetes object'],
    'patches/ops.yaml': ['- op: replace\n  path: /spec/replicas\n  value: 2\n', 'a JSON patch (RFC 6902)'],
  };
  const model = repo({ ...SYNC, ...Object.fromEntries(Object.entries(files).map(([p, [text]]) => [p, text])) });
  for (const [path, [, reason]] of Object.entries(files)) {
    assert.deepEqual(model.fileKind(path), { kind: 'non-kubernetes', reason }, path);
    assert.deepEqual(model.file(path)!.resources, [], path);
  }
});

test('a kustomize Component is a manifest, a Backstage Component is not', () => {
  const model = repo({
    'components/x/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nresources: []\n',
    'catalog/x.yaml': 'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: x\n',
  });
  assert.equal(model.fileKind('components/x/kustomization.yaml')?.kind, 'unapplied');
  assert.deepEqual(model.file('components/x/kustomization.yaml')!.resources.map((r) => r.kind), ['Component']);
  assert.equal(model.fileKind('catalog/x.yaml')?.kind, 'non-kubernetes');
});

test('a chart\'s templates are templates and its values are values, because of the Chart.yaml above them', () => {
  const model = repo({
    ...SYNC,
    'charts/app/Chart.yaml': 'apiVersion: v2\nname: app\nversion: 1.0.0\n',
    'charts/app/values.yaml': 'image: nginx\n',
    'charts/app/values-prod.yaml': 'image: nginx\n',
    // A template that happens to be valid YAML without any {{ }} is still a template.
    'charts/app/templates/sa.yaml': 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: app\n',
    'charts/app/templates/_helpers.tpl': '{{- define "x" -}}{{- end -}}\n',
    'charts/app/crds/crd.yaml': 'apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: xs.example.com\n',
  });
  assert.deepEqual(model.fileKind('charts/app/templates/sa.yaml'), { kind: 'template', reason: 'a Helm chart template (Chart.yaml in charts/app)' });
  assert.deepEqual(model.file('charts/app/templates/sa.yaml')!.resources, []);
  assert.deepEqual(model.fileKind('charts/app/values-prod.yaml'), { kind: 'non-kubernetes', reason: "a Helm chart's values (Chart.yaml in charts/app)" });
  assert.deepEqual(model.fileKind('charts/app/Chart.yaml'), { kind: 'non-kubernetes', reason: "a Helm chart's Chart.yaml" });
  assert.equal(model.fileKind('charts/app/crds/crd.yaml')?.kind, 'unapplied');
  assert.equal(model.fileKind('charts/app/templates/_helpers.tpl'), undefined);
});

test('a Chart.yaml that comes or goes changes what the files below it are', () => {
  const model = repo({ ...SYNC, 'charts/app/templates/sa.yaml': 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: app\n' });
  assert.equal(model.fileKind('charts/app/templates/sa.yaml')?.kind, 'unapplied');
  assert.equal(model.file('charts/app/templates/sa.yaml')!.resources.length, 1);
  model.setFile('charts/app/Chart.yaml', 'apiVersion: v2\nname: app\nversion: 1.0.0\n');
  assert.equal(model.fileKind('charts/app/templates/sa.yaml')?.kind, 'template');
  assert.equal(model.file('charts/app/templates/sa.yaml')!.resources.length, 0);
  assert.equal([...model.resources()].some((r) => r.file === 'charts/app/templates/sa.yaml'), false);
  model.setFile('charts/app/Chart.yaml', undefined);
  assert.equal(model.fileKind('charts/app/templates/sa.yaml')?.kind, 'unapplied');
  assert.equal(model.file('charts/app/templates/sa.yaml')!.resources.length, 1);
});

test('template text is told from values that hold {{ }}: where YAML structure is, not inside strings or comments', () => {
  const model = repo({
    'ansible/templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\ndata:\n{% for k in keys %}\n  {{ k }}: x\n{% endfor %}\n',
    'helm/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\n',
    'rules/alert.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: alerts # {{ no }}\ndata:\n  a: "{{ $labels.x }}"\n  b: Host {{ $labels.x }} down\n  c: |\n    {{ range . }}\n',
  });
  assert.deepEqual(model.fileKind('ansible/templates/cm.yaml'), { kind: 'template', reason: 'Jinja text `{%` at line 4, outside any YAML value' });
  assert.deepEqual(model.fileKind('helm/cm.yaml'), { kind: 'template', reason: 'Go-template or Jinja text `{{` at line 4, outside any YAML value' });
  assert.deepEqual(model.file('helm/cm.yaml')!.resources, []);
  assert.equal(model.fileKind('rules/alert.yaml')?.kind, 'unapplied');
  assert.deepEqual(model.file('rules/alert.yaml')!.resources.map((r) => r.kind), ['ConfigMap']);
});

test('a manifest is applied where a cluster applies it or a kustomization lists it, else unapplied, with the reason', () => {
  const model = repo({
    ...SYNC,
    'clusters/c/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n',
    'lib/kustomization.yaml': 'resources:\n  - cm.yaml\n',
    'lib/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n',
    'old/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n',
  });
  assert.deepEqual(model.fileKind('clusters/c/cm.yaml'), { kind: 'applied', reason: 'cluster c applies it' });
  assert.deepEqual(model.fileKind('lib/cm.yaml'), { kind: 'applied', reason: 'lib/kustomization.yaml lists it (no cluster applies that kustomization)' });
  assert.deepEqual(model.fileKind('lib/kustomization.yaml'), { kind: 'unapplied', reason: 'a kustomization; no cluster applies it and no kustomization lists it' });
  assert.deepEqual(model.fileKind('old/cm.yaml'), { kind: 'unapplied', reason: 'Kubernetes objects (apiVersion and kind); no cluster applies it and no kustomization lists it' });
  assert.equal(model.fileKind('missing.yaml'), undefined);
});

test('no rule sees the objects of templates and other tools\' YAML', () => {
  const model = repo({
    ...SYNC,
    'charts/app/Chart.yaml': 'apiVersion: v2\nname: app\nversion: 1.0.0\n',
    'charts/app/templates/secret.yaml': 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n  namespace: nowhere\nstringData:\n  password: hunter2\n',
    'charts/app/templates/deploy.yaml': yaml`
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: {{ .Release.Name }}
      spec:
        template:
          spec:
            containers:
              - name: app
                image: nginx
    `,
    'catalog/app.yaml': 'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: app\n  namespace: nowhere\n',
  });
  const findings = check(model).filter((f) => f.file.startsWith('charts/') || f.file.startsWith('catalog/'));
  assert.deepEqual(findings, []);
});
