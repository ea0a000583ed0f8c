import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { deserialize, serialize } from 'node:v8';
import fc from 'fast-check';
import { FLUX_SYSTEM_SYNC, fluxKs } from '../helpers/repo';
import { main } from '../../server/src/cli';
import { chartStoreInputs, readResults, RESULT_CACHE_LAYOUT, resultCacheFile, workspaceDigest, writeResults } from '../../server/src/result-cache';

const cm = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n`;
const SECRET_VALUE = 'pl41ntext-Sh0uld-N3ver-Leak';
const initial: Record<string, string> = {
  'clusters/prod/flux-system/gotk-sync.yaml': FLUX_SYSTEM_SYNC('prod'),
  'clusters/prod/apps.yaml': fluxKs('apps', './environments/apps/web'),
  'environments/core/dns/ns.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: dns\n',
  'environments/apps/web/kustomization.yaml': 'namespace: web\nresources:\n  - cm.yaml\n  - multi.yaml\nconfigMapGenerator:\n  - name: settings\n    envs:\n      - settings.env\n',
  'environments/apps/web/settings.env': 'LEVEL=info\n',
  'environments/apps/web/cm.yaml': cm('web'),
  'environments/apps/web/multi.yaml': `${cm('one')}---\n${cm('two')}`,
  'environments/apps/web/secret.yaml': `apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  password: ${SECRET_VALUE}\n`,
};

/** Edits made while nothing runs: structural, content, broken YAML, non-YAML inputs, config, .gitignore, deletions. */
const edits: Array<[string, string | undefined]> = [
  ['clusters/prod/apps.yaml', fluxKs('apps', './environments/apps/webb')],
  ['clusters/prod/apps.yaml', fluxKs('apps', './environments/apps/web', '  dependsOn:\n    - name: core\n')],
  ['clusters/prod/core.yaml', fluxKs('core', './environments/core')],
  ['clusters/prod/core.yaml', undefined],
  ['environments/apps/web/kustomization.yaml', 'namespace: web\nresources:\n  - cm.yaml\n  - extra.yaml\n  - secret.yaml\n'],
  ['environments/apps/web/extra.yaml', cm('extra')],
  ['environments/apps/web/extra.yaml', undefined],
  ['environments/apps/web/cm.yaml', cm('renamed')],
  ['environments/apps/web/cm.yaml', 'a: "broken'],
  ['environments/apps/web/cm.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  name: b\n'],
  ['environments/apps/web/settings.env', 'LEVEL=debug\nnot an env line\n'],
  ['environments/apps/web/settings.env', undefined],
  ['environments/apps/web/multi.yaml', `${cm('one')}---\n${cm('three')}---\n{ unclosed`],
  ['.gitops-guardrails.yaml', 'rules:\n  flux/path-not-found: warning\n  kustomize/unlisted-manifest: off\n'],
  ['.gitops-guardrails.yaml', undefined],
  ['.gitignore', 'environments/apps/web/extra.yaml\n'],
  ['.gitignore', undefined],
];

function writeRepo(root: string, files: Map<string, string>): void {
  rmSync(root, { recursive: true, force: true });
  for (const [file, text] of files) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  }
}

/** The environment of a CLI run: its cache and the Helm folders inside the scratch folder. */
function envOf(scratch: string): NodeJS.ProcessEnv {
  return {
    GITOPS_GUARDRAILS_CACHE_DIR: path.join(scratch, 'cache'),
    HELM_CACHE_HOME: path.join(scratch, 'helm-cache'),
    HELM_CONFIG_HOME: path.join(scratch, 'helm-config'),
    GITOPS_GUARDRAILS_PARSE_WORKERS: '0',
  };
}

async function cli(root: string, env: NodeJS.ProcessEnv, ...flags: string[]): Promise<{ code: number; stdout: string }> {
  let stdout = '';
  const code = await main(['check', root, '--format', 'json', ...flags], { stdout: (t) => (stdout += t), stderr: () => {}, cwd: root, env });
  return { code, stdout };
}

function scratchFolder(): string {
  return mkdtempSync(path.join(os.tmpdir(), 'gitops-guardrails-result-cache-'));
}

test('check restarted from a warm result cache after edits made while nothing ran equals a cold check', async () => {
  const scratch = scratchFolder();
  try {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 0, max: edits.length - 1 }), { minLength: 0, maxLength: 6 }), fc.boolean(), async (sequence, twice) => {
        const root = path.join(scratch, 'repo');
        const env = envOf(scratch);
        rmSync(env.GITOPS_GUARDRAILS_CACHE_DIR!, { recursive: true, force: true });
        const files = new Map(Object.entries(initial));
        writeRepo(root, files);
        // The first run fills the cache.
        await cli(root, env);
        assert.ok(existsSync(resultCacheFile(env.GITOPS_GUARDRAILS_CACHE_DIR!, root)), 'the first run stored its findings');
        // Edits while nothing runs, then a restart (sometimes two, with more edits between).
        const rounds = twice ? [sequence.slice(0, sequence.length >> 1), sequence.slice(sequence.length >> 1)] : [sequence];
        let warm: { code: number; stdout: string } | undefined;
        for (const round of rounds) {
          for (const i of round) {
            const [file, text] = edits[i];
            if (text === undefined) files.delete(file);
            else files.set(file, text);
          }
          writeRepo(root, files);
          warm = await cli(root, env);
        }
        const cold = await cli(root, env, '--no-cache');
        assert.deepEqual(warm, cold);
        // What is stored now is the result of the repository as it is.
        const stored = await readResults(env.GITOPS_GUARDRAILS_CACHE_DIR!, root, await workspaceDigest(root, { external: chartStoreInputs(env) }));
        assert.ok(stored, 'the last run stored its findings');
        assert.equal(stored.length, (JSON.parse(cold.stdout) as { findings: unknown[] }).findings.length);
      }),
      { numRuns: 20 },
    );
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
});

/** The repository with its cache filled, the cache's entry file, and the cold answer. */
async function filled(scratch: string) {
  const root = path.join(scratch, 'repo');
  const env = envOf(scratch);
  writeRepo(root, new Map(Object.entries(initial)));
  const cold = await cli(root, env, '--no-cache');
  await cli(root, env);
  const file = resultCacheFile(env.GITOPS_GUARDRAILS_CACHE_DIR!, root);
  const digest = await workspaceDigest(root, { external: chartStoreInputs(env) });
  return { root, env, cold, file, digest };
}

const planted = { rule: 'planted/by-the-test', severity: 'warning' as const, message: 'only the cache says this', file: 'environments/apps/web/cm.yaml', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } } };

test('a matching digest answers from the cache; --no-cache neither reads nor writes it', async () => {
  const scratch = scratchFolder();
  try {
    const { root, env, cold, digest } = await filled(scratch);
    const folder = env.GITOPS_GUARDRAILS_CACHE_DIR!;
    assert.ok(JSON.parse(cold.stdout).findings.length > 0, 'the fixture has findings');
    await writeResults(folder, root, digest, [planted]);
    const warm = await cli(root, env);
    assert.deepEqual(JSON.parse(warm.stdout).findings.map((f: { rule: string }) => f.rule), ['planted/by-the-test'], 'answered from the cache');
    assert.deepEqual(await cli(root, env, '--no-cache'), cold, '--no-cache does not read it');

    // A change of any input misses: a non-YAML file a build reads, the config, a chart in the cache.
    writeFileSync(path.join(root, 'environments/apps/web/settings.env'), 'LEVEL=warn\n');
    assert.notEqual(JSON.parse((await cli(root, env)).stdout).findings[0]?.rule, 'planted/by-the-test');
    writeFileSync(path.join(root, 'environments/apps/web/settings.env'), initial['environments/apps/web/settings.env']);
    assert.equal(await workspaceDigest(root, { external: chartStoreInputs(env) }), digest, 'the same content, the same digest');
    const before = await workspaceDigest(root, { external: chartStoreInputs(env) });
    mkdirSync(path.join(folder, 'charts-v1', 'abc'), { recursive: true });
    writeFileSync(path.join(folder, 'charts-v1', 'abc', '1.0.0.tgz'), 'x');
    assert.notEqual(await workspaceDigest(root, { external: chartStoreInputs(env) }), before, 'a chart in the cache changes the digest');
    assert.notEqual(await workspaceDigest(root, { settings: { 'flux/path-not-found': 'off' } }), await workspaceDigest(root, { settings: {} }), 'settings change the digest');

    // --no-cache writes nothing.
    const empty = path.join(scratch, 'empty-cache');
    await cli(root, { ...env, GITOPS_GUARDRAILS_CACHE_DIR: empty }, '--no-cache');
    assert.equal(existsSync(empty), false);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
});

test('a damaged, truncated, empty or foreign cache entry is ignored and rewritten', async () => {
  const scratch = scratchFolder();
  try {
    const { root, env, cold, file, digest } = await filled(scratch);
    const folder = env.GITOPS_GUARDRAILS_CACHE_DIR!;
    await writeResults(folder, root, digest, [planted]);
    const good = readFileSync(file);
    const payload = deserialize(good.subarray(32));
    const sealed = (value: unknown) => {
      const body = serialize(value);
      return Buffer.concat([createHash('sha256').update(body).digest(), body]);
    };
    const flipped = Buffer.from(good);
    flipped[flipped.length - 10] ^= 0xff;
    const bad: [string, Buffer][] = [
      ['a flipped byte', flipped],
      ['a truncated file', good.subarray(0, good.length >> 1)],
      ['an empty file', Buffer.alloc(0)],
      ['text', Buffer.from('not a cache')],
      ['another format', sealed({ ...payload, format: payload.format + 1 })],
      ['another build', sealed({ ...payload, build: `${payload.build}-other` })],
      ['another magic', sealed({ ...payload, magic: 'something else' })],
      ['another repository', sealed({ ...payload, root: path.join(scratch, 'other') })],
      ['findings of another shape', sealed({ ...payload, findings: [{ ...planted, range: { start: { line: -1 } } }] })],
      ['findings with fixes', sealed({ ...payload, findings: [{ ...planted, fixes: [] }] })],
      ['not an array', sealed({ ...payload, findings: 'all clear' })],
      ['another value', sealed(['a', 'list'])],
    ];
    for (const [what, bytes] of bad) {
      writeFileSync(file, bytes);
      assert.deepEqual(await cli(root, env), cold, `${what} is not trusted`);
      assert.ok(await readResults(folder, root, digest), `${what} is rewritten`);
    }
    // Deleting the folder is safe.
    rmSync(path.join(folder, RESULT_CACHE_LAYOUT), { recursive: true, force: true });
    assert.deepEqual(await cli(root, env), cold);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
});

test('the stored findings hold no secret value and no fix', async () => {
  const scratch = scratchFolder();
  try {
    const { file, cold } = await filled(scratch);
    const rules = (JSON.parse(cold.stdout).findings as { rule: string }[]).map((f) => f.rule);
    assert.ok(rules.includes('secrets/plaintext-credential') || rules.includes('secrets/unencrypted'), `a secret finding is stored (${rules.join(', ')})`);
    const bytes = readFileSync(file);
    assert.equal(bytes.includes(SECRET_VALUE), false, 'the secret value is not in the cache');
    const stored = deserialize(bytes.subarray(32)) as { findings: object[] };
    assert.ok(stored.findings.every((f) => !('fixes' in f)));
    assert.deepEqual(readdirSync(path.dirname(file)).filter((n) => n !== path.basename(file)), [], 'no temporary file is left');
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
});
