// The rules read from the build, through the built CLI in a child process: kustomize/patch-no-target,
// namespace/default and flux/root-not-self-managed on one small repository.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FLUX_SYSTEM_SYNC, fluxKs } from '../helpers/repo';

const CLI = path.resolve(__dirname, '../../dist/cli.js');

const FILES: Record<string, string> = {
  'clusters/prod/flux-system/gotk-sync.yaml': FLUX_SYSTEM_SYNC('prod'),
  'clusters/prod/flux-system/kustomization.yaml': 'resources:\n  - gotk-sync.yaml\n',
  // flux-system is not listed: Flux stops managing itself.
  'clusters/prod/kustomization.yaml': 'resources:\n  - apps.yaml\n',
  'clusters/prod/apps.yaml': fluxKs('apps', './apps'),
  'apps/kustomization.yaml': 'resources:\n  - release.yaml\npatches:\n  - target:\n      kind: HelmRelease\n      version: v2beta1\n      name: podinfo\n    patch: |\n      - op: add\n        path: /spec/suspend\n        value: true\n',
  'apps/release.yaml': 'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: podinfo\nspec:\n  interval: 1m\n',
};

test('check reports the three rules read from the build, at their places', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gg-build-rules-'));
  try {
    for (const [file, text] of Object.entries(FILES)) {
      mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      writeFileSync(path.join(dir, file), text);
    }
    const result = spawnSync(process.execPath, [CLI, 'check', dir, '--format', 'json'], { encoding: 'utf8' });
    assert.equal(result.status, 1, result.stderr);
    const findings = (JSON.parse(result.stdout).findings as Array<{ rule: string; file: string; line: number; severity: string; message: string }>)
      .filter((f) => ['kustomize/patch-no-target', 'namespace/default', 'flux/root-not-self-managed'].includes(f.rule))
      .map((f) => `${f.rule} ${f.severity} ${f.file}:${f.line}`);
    assert.deepEqual(findings.sort(), [
      'flux/root-not-self-managed warning clusters/prod/flux-system/gotk-sync.yaml:4',
      'kustomize/patch-no-target error apps/kustomization.yaml:4',
      'namespace/default warning apps/release.yaml:4',
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
