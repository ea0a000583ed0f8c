// What each file is, as the built CLI shows it, and that the CLI prints only its own output.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import '../helpers/temp-cache';

const CLI = path.resolve(__dirname, '../../dist/cli.js');

function tempRepo(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'gg-kinds-'));
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  }
  return root;
}

const SYNC = `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: flux-system
  namespace: flux-system
spec:
  interval: 10m
  path: ./clusters/c
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
`;

// `name: {{ .Release.Name }}` is valid YAML: a mapping whose key is a mapping, which the yaml
// library warns about ("Keys with collection values will be stringified") when it builds objects.
const TEMPLATE = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\n';

test('the CLI prints no yaml library warning, and index --json says what each file is and why', () => {
  const root = tempRepo({
    'clusters/c/flux-system/gotk-sync.yaml': SYNC,
    'clusters/c/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n  labels: {{ a: b }: c}\n',
    'charts/app/Chart.yaml': 'apiVersion: v2\nname: app\nversion: 1.0.0\n',
    'charts/app/values.yaml': 'replicas: 1\n',
    'charts/app/templates/cm.yaml': TEMPLATE,
    '.github/workflows/ci.yaml': 'on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n',
    'scratch/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: scratch\n',
  });
  try {
    for (const args of [['check', root], ['check', root, '--format', 'json'], ['index', root, '--json']]) {
      const result = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
      assert.equal(result.stderr, '', args.join(' '));
      assert.doesNotMatch(result.stdout, /stringified/);
    }
    const index = JSON.parse(spawnSync(process.execPath, [CLI, 'index', root, '--json'], { encoding: 'utf8' }).stdout);
    assert.deepEqual(index.fileKinds, {
      '.github/workflows/ci.yaml': { kind: 'non-kubernetes', reason: 'a CI workflow (GitHub Actions, Forgejo or Gitea)' },
      'charts/app/Chart.yaml': { kind: 'non-kubernetes', reason: "a Helm chart's Chart.yaml" },
      'charts/app/templates/cm.yaml': { kind: 'template', reason: 'a Helm chart template (Chart.yaml in charts/app)' },
      'charts/app/values.yaml': { kind: 'non-kubernetes', reason: "a Helm chart's values (Chart.yaml in charts/app)" },
      'clusters/c/cm.yaml': { kind: 'applied', reason: 'cluster c applies it' },
      'clusters/c/flux-system/gotk-sync.yaml': { kind: 'applied', reason: 'cluster c applies it' },
      'scratch/cm.yaml': { kind: 'unapplied', reason: 'Kubernetes objects (apiVersion and kind); no cluster applies it and no kustomization lists it' },
    });
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
