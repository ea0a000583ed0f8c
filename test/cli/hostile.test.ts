// Hostile and broken repositories through the built CLI (`node esbuild.mjs` first): nothing lost,
// nothing silenced, nothing written half.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
const CLI = path.join(ROOT, 'dist/cli.js');

export function run(args: string[], cwd = ROOT, env: NodeJS.ProcessEnv = process.env) {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env, maxBuffer: 64 * 1024 * 1024 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A temporary repository with these files (a `.git` folder makes it the root). */
export function tempRepo(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gg-hostile-'));
  mkdirSync(path.join(dir, '.git'));
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  }
  return dir;
}

/** Aliases whose expansion grows tenfold per level: small text, a huge value. */
export function aliasBomb(levels = 6): string {
  const lines = ['- &l0 [x, x, x, x, x, x, x, x, x, x]'];
  for (let i = 1; i < levels; i++) lines.push(`- &l${i} [${Array(10).fill(`*l${i - 1}`).join(', ')}]`);
  return lines.join('\n') + '\n';
}

/** One cluster applying ./apps: a Deployment without resources, in a namespace nothing declares. */
const CLUSTER = {
  'clusters/prod/apps.yaml': `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: apps
  namespace: flux-system
spec:
  interval: 10m
  path: ./apps
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
  dependsOn:
    - name: nothing-has-this-name
`,
  'apps/kustomization.yaml': `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - deploy.yaml
replacements:
  - path: replacements.yaml
`,
  'apps/deploy.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: web
spec:
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
    spec:
      containers:
        - name: web
          image: nginx:1.27
`,
};

function rulesOf(stdout: string): Map<string, string[]> {
  const byRule = new Map<string, string[]>();
  for (const f of JSON.parse(stdout).findings) byRule.set(f.rule, [...(byRule.get(f.rule) ?? []), `${f.file}:${f.line}: ${f.message}`]);
  return byRule;
}

test('an alias bomb in a replacements file is a yaml/syntax error on that file; every other rule still reports', () => {
  const dir = tempRepo({ ...CLUSTER, 'apps/replacements.yaml': aliasBomb() });
  try {
    const { code, stdout, stderr } = run(['check', dir, '--format', 'json']);
    assert.equal(stderr, '');
    assert.equal(code, 1);
    const rules = rulesOf(stdout);
    assert.deepEqual(rules.get('yaml/syntax'), [
      "apps/replacements.yaml:1: This document's aliases expand past the limit of 1000 nodes (a resource-exhaustion risk; kustomize refuses it too): not checked.",
    ]);
    for (const rule of ['resources/missing', 'namespace/missing', 'flux/unknown-dependency']) assert.ok(rules.has(rule), `${rule} is silenced: ${[...rules.keys()]}`);
    assert.ok(!rules.has('internal/rule-failed'), String(rules.get('internal/rule-failed')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an alias bomb in .gitops-guardrails.yaml is a config/invalid error; the rules run with the default configuration', () => {
  const dir = tempRepo({ ...CLUSTER, 'apps/replacements.yaml': '[]\n', '.gitops-guardrails.yaml': `rules: &r0\n  quota/missing: off\nignore:\n${aliasBomb().replace(/^/gm, '  ')}` });
  try {
    const { code, stdout, stderr } = run(['check', dir, '--format', 'json']);
    assert.equal(stderr, '');
    assert.equal(code, 1);
    const rules = rulesOf(stdout);
    assert.deepEqual(rules.get('config/invalid'), [
      ".gitops-guardrails.yaml:1: .gitops-guardrails.yaml is not valid YAML: This document's aliases expand past the limit of 1000 nodes (a resource-exhaustion risk; kustomize refuses it too): not checked.",
    ]);
    for (const rule of ['resources/missing', 'namespace/missing', 'flux/unknown-dependency']) assert.ok(rules.has(rule), `${rule} is silenced: ${[...rules.keys()]}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
