// A property on a real repository: YAML that is not a Kubernetes manifest (a Helm chart with its
// templates, CI workflows, Ansible, Taskfiles, compose files), added wherever no cluster applies
// it, changes no error and no warning. The repository is read in place; the files are added to
// the in-memory model only. Skips, saying so, when ../shared/corpus is absent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { RepoModel } from '../../../server/src/model/model';
import { RULE_IDS } from '../../../server/src/rules';
import { problems } from '../../helpers/repo';

const REPO = path.resolve(__dirname, '../../../../shared/corpus/simplelumine__k8s-gitops@c2b6592');
const skip = existsSync(REPO) ? false : `the corpus repository is absent (${REPO})`;

/** Sets of files a repository holds beside its manifests, each valid or broken. */
const NON_MANIFESTS: Record<string, (broken: boolean) => Record<string, string>> = {
  chart: (broken) => ({
    'Chart.yaml': 'apiVersion: v2\nname: app\nversion: 1.0.0\n',
    'values.yaml': 'replicas: 1\nimage:\n  repository: nginx\n',
    'templates/deployment.yaml':
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ include "app.fullname" . }}\n  namespace: {{ .Release.Namespace }}\nspec:\n  {{- if .Values.replicas }}\n  replicas: {{ .Values.replicas }}\n  {{- end }}\n  template:\n    spec:\n      containers:\n        - name: app\n          image: "{{ .Values.image.repository }}"\n' +
      (broken ? '          env: [\n' : ''),
    // Valid YAML with nothing templated: a template all the same, because of the Chart.yaml above.
    'templates/secret.yaml': 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: app\n  namespace: nowhere\nstringData:\n  password: hunter2\n',
    'templates/_helpers.tpl': '{{- define "app.fullname" -}}{{ .Release.Name }}{{- end -}}\n',
  }),
  workflow: (broken) => ({ 'workflows/ci.yaml': `name: ci\non:\n  push: {}\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make test${broken ? '\n      - run: "unclosed\n' : '\n'}` }),
  ansible: (broken) => ({
    'site.yml': '- hosts: all\n  become: true\n  roles:\n    - k3s\n',
    'roles/k3s/tasks/main.yml': `- name: install k3s\n  ansible.builtin.shell: curl -sfL https://get.k3s.io | sh -\n${broken ? '- name: [broken\n' : ''}`,
    'roles/k3s/templates/config.yaml': '{% for node in groups.all %}\n- {{ node }}\n{% endfor %}\n',
    'inventory.yaml': 'all:\n  hosts:\n    node1:\n      ansible_host: 10.0.0.1\n',
  }),
  taskfile: (broken) => ({ 'Taskfile.yaml': `version: '3'\ntasks:\n  default:\n    cmds:\n      - task --list${broken ? '\n    desc: {unclosed\n' : '\n'}` }),
  compose: (broken) => ({ 'docker-compose.yaml': `services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: hunter2${broken ? '\n    ports: [5432\n' : '\n'}` }),
};

function key(f: { rule: string; severity: string; file: string; range: { start: { line: number; character: number } }; message: string }): string {
  return `${f.rule} ${f.severity} ${f.file}:${f.range.start.line}:${f.range.start.character} ${f.message}`;
}

test('adding non-manifest YAML where no cluster applies it changes no error or warning of a real repository', { skip }, async () => {
  const model = await RepoModel.load(REPO, RULE_IDS, undefined, { parseWorkers: 0 });
  const baseline = problems(model).map(key).sort();
  assert.ok(baseline.length > 0, 'the repository has findings to keep');
  // Where a file could go: every folder, and a new folder at the top, unless a cluster applies
  // what is put there (a plain folder Flux applies whole would fail on a chart: that is an error).
  const probe = (folder: string) => {
    const file = `${folder ? `${folder}/` : ''}guardrails-probe/probe.yaml`;
    model.setFile(file, 'on: push\njobs: {}\n');
    const applied = model.fileKind(file)?.kind === 'applied';
    model.setFile(file, undefined);
    return !applied;
  };
  const folders = ['', ...model.folders].filter(probe);
  assert.ok(folders.length >= 3, `folders to add files to: ${folders.join(', ')}`);
  fc.assert(
    fc.property(
      fc.array(fc.record({ folder: fc.constantFrom(...folders), set: fc.constantFrom(...Object.keys(NON_MANIFESTS)), name: fc.constantFrom('charts/app', '.github', 'ansible', 'tools', 'x'), broken: fc.boolean() }), { minLength: 1, maxLength: 4 }),
      (additions) => {
        const added: string[] = [];
        for (const { folder, set, name, broken } of additions) {
          for (const [file, text] of Object.entries(NON_MANIFESTS[set](broken))) {
            const where = [folder, name, file].filter(Boolean).join('/');
            if (added.includes(where)) continue;
            model.setFile(where, text);
            added.push(where);
          }
        }
        try {
          assert.deepEqual(problems(model).map(key).sort(), baseline);
        } finally {
          for (const file of added) model.setFile(file, undefined);
        }
      },
    ),
    { numRuns: 30 },
  );
  assert.deepEqual(problems(model).map(key).sort(), baseline);
});
