// `check --baseline FILE` through the built CLI: written when absent, then only new findings count.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import '../helpers/temp-cache';

const ROOT = path.resolve(__dirname, '../..');
const CLI = path.join(ROOT, 'dist/cli.js');
const EXAMPLE = path.join(ROOT, 'examples/layered-repo');

function run(args: string[], cwd: string) {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

test('--baseline writes the accepted findings once, then reports only new ones (lines may move)', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gg-baseline-'));
  try {
    const repo = path.join(dir, 'repo');
    cpSync(EXAMPLE, repo, { recursive: true });
    const all = JSON.parse(run(['check', 'repo', '--format', 'json'], dir).stdout).findings;
    assert.ok(all.some((f: any) => f.severity === 'error'));

    const first = run(['check', 'repo', '--format', 'json', '--baseline', 'accepted.json'], dir);
    assert.equal(first.code, 0, first.stderr);
    assert.deepEqual(JSON.parse(first.stdout).findings, []);
    assert.equal(first.stderr, `gitops-guardrails: wrote the baseline ${path.join(dir, 'accepted.json')}: ${all.length} finding(s) accepted.\n`);
    const baseline = JSON.parse(readFileSync(path.join(dir, 'accepted.json'), 'utf8'));
    assert.equal(baseline.version, 1);
    assert.equal(baseline.findings.length, all.length);
    assert.deepEqual(Object.keys(baseline.findings[0]), ['rule', 'file', 'message']);

    // Lines inserted above a baselined finding do not make it new; a new Secret in clear does.
    const secret = path.join(repo, 'environments/apps/podinfo/secret.yaml');
    writeFileSync(secret, '# moved down\n\n' + readFileSync(secret, 'utf8'));
    const deployment = path.join(repo, 'environments/apps/podinfo/deployment.yaml');
    writeFileSync(deployment, readFileSync(deployment, 'utf8').replace('PODINFO_UI_PASSWORD', 'PODINFO_ADMIN_PASSWORD'));
    const second = run(['check', 'repo', '--format', 'json', '--baseline', 'accepted.json'], dir);
    const shown = JSON.parse(second.stdout).findings;
    assert.deepEqual(shown.map((f: any) => `${f.rule} ${f.file}:${f.line}`), ['secrets/plaintext-credential environments/apps/podinfo/deployment.yaml:27']);
    assert.equal(second.code, 0, 'a new warning alone does not fail the check');
    assert.equal(second.stderr, `gitops-guardrails: ${all.length - 1} finding(s) accepted by the baseline ${path.join(dir, 'accepted.json')}; 1 of its entries match nothing any more (delete the file to write it anew).\n`);

    writeFileSync(path.join(dir, 'broken.json'), '{"version": 1, "findings": [{"rule": 3}]}');
    const broken = run(['check', 'repo', '--baseline', 'broken.json'], dir);
    assert.equal(broken.code, 2);
    assert.equal(broken.stderr, `gitops-guardrails: the baseline ${path.join(dir, 'broken.json')} is not valid: findings[0] needs "rule", "file" and "message" strings\n`);
    assert.equal(broken.stdout, '');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
