/** .sops.yaml lookup and creation-rule selection, as sops does it. */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { decrypt, encrypt, findCreationRule, findSopsConfig, inspect, parseCreationRules } from '../../../server/src/sops/index';
import { needsVectors, vector } from './helpers';
import { TEST_IDENTITY, TEST_IDENTITY_2, TEST_RECIPIENT, TEST_RECIPIENT_2 } from './fixture-keys';

let repo: string;
const write = (rel: string, text: string) => {
  mkdirSync(join(repo, rel, '..'), { recursive: true });
  writeFileSync(join(repo, rel), text);
};

before(() => {
  repo = mkdtempSync(join(tmpdir(), 'gg-sops-rules-'));
  write(
    '.sops.yaml',
    `creation_rules:
  - path_regex: (?i)clusters/.*/SECRETS/.*\\.yaml\\z
    encrypted_regex: ^(data|stringData)$
    age: ${TEST_RECIPIENT}, ${TEST_RECIPIENT_2}
  - path_regex: ^apps/
    age:
      - ${TEST_RECIPIENT}
    mac_only_encrypted: true
    unencrypted_suffix: _plain
  - path_regex: ^legacy/
    pgp: FBC7B9E2A4F9289AC0C1D4843D16CEE4A27381B4
  - path_regex: ^groups/
    key_groups:
      - age: [${TEST_RECIPIENT}]
      - age: [${TEST_RECIPIENT_2}]
`,
  );
  write('teams/a/.sops.yaml', `creation_rules:\n  - age: ${TEST_RECIPIENT_2}\n`);
  write('nothing/.sops.yaml', 'stores:\n  yaml:\n    indent: 2\n');
  write('picky/.sops.yaml', 'creation_rules:\n  - path_regex: ^only-this\\.yaml$\n    age: age1x\n');
});
after(() => rmSync(repo, { recursive: true, force: true }));

describe('.sops.yaml lookup', () => {
  test('the nearest config from the file folder upwards', () => {
    assert.equal(findSopsConfig(repo, join(repo, 'teams', 'a', 'deep')), join(repo, 'teams', 'a', '.sops.yaml'));
    assert.equal(findSopsConfig(repo, join(repo, 'apps', 'x')), join(repo, '.sops.yaml'));
  });

  test('never above the repository root', () => {
    const inner = join(repo, 'apps');
    assert.equal(findSopsConfig(inner, join(inner, 'x')), undefined);
  });

  test('never for a folder outside the repository root', () => {
    assert.equal(findSopsConfig(join(repo, 'apps'), join(repo, 'teams', 'a')), undefined);
  });
});

describe('creation rules', () => {
  test('first match wins; path_regex is matched against the path relative to the config, with Go syntax', () => {
    const rule = findCreationRule(repo, 'clusters/prod/secrets/db.yaml')!;
    assert.equal(rule.index, 0);
    assert.deepEqual(rule.age, [TEST_RECIPIENT, TEST_RECIPIENT_2]);
    assert.deepEqual(rule.selection, { key: 'encrypted_regex', value: '^(data|stringData)$' });
    assert.equal(findCreationRule(repo, 'apps/clusters/prod/secrets/db.yaml')!.index, 0, 'unanchored, like Go MatchString');
    // \z anchors the end: the .bak copy matches no rule at all.
    assert.throws(() => findCreationRule(repo, 'clusters/prod/secrets/db.yaml.bak'), { code: 'NO_CREATION_RULE' });
  });

  test('age as a list, mac_only_encrypted and another selection option', () => {
    const rule = findCreationRule(repo, join(repo, 'apps', 'web', 'secret.yaml'))!;
    assert.equal(rule.index, 1);
    assert.deepEqual(rule.age, [TEST_RECIPIENT]);
    assert.equal(rule.macOnlyEncrypted, true);
    assert.deepEqual(rule.selection, { key: 'unencrypted_suffix', value: '_plain' });
  });

  test('a nearer .sops.yaml takes over, its paths relative to its own folder', () => {
    const rule = findCreationRule(repo, 'teams/a/secret.yaml')!;
    assert.equal(rule.configPath, join(repo, 'teams', 'a', '.sops.yaml'));
    assert.deepEqual(rule.age, [TEST_RECIPIENT_2]);
  });

  test('a config without creation_rules is as if there were none', () => {
    assert.equal(findCreationRule(repo, 'nothing/s.yaml'), undefined);
  });

  test('rules exist but none matches: the error sops gives', () => {
    assert.throws(() => findCreationRule(repo, 'picky/other.yaml'), {
      code: 'NO_CREATION_RULE',
      message: `picky/other.yaml: no matching creation rules found in ${join(repo, 'picky', '.sops.yaml')}`,
    });
  });

  test('two selection options in one rule are refused', () => {
    assert.throws(() => parseCreationRules('creation_rules:\n  - encrypted_regex: a\n    unencrypted_regex: b\n', '/r/.sops.yaml'), {
      code: 'CONFIG',
      message: '/r/.sops.yaml: creation_rules[0]: only one of unencrypted_regex, encrypted_regex may be set',
    });
  });

  test('an untranslatable path_regex is refused when the config is read', () => {
    assert.throws(() => parseCreationRules('creation_rules:\n  - path_regex: (?=x)\n', '/r/.sops.yaml'), { code: 'REGEX' });
  });

  test('the comma-separated folded strings of the upstream config', { skip: needsVectors }, () => {
    const [rule] = parseCreationRules(vector('age/pr1031.sops.yaml'), 'pr1031.sops.yaml')!;
    assert.deepEqual(rule.age, [TEST_RECIPIENT_2, TEST_RECIPIENT]);
    assert.deepEqual(rule.foreign.pgp, ['FBC7B9E2A4F9289AC0C1D4843D16CEE4A27381B4', 'D7229043384BCC60326C6FB9D8720D957C3D3074']);
  });
});

describe('encrypt with the repository rules', () => {
  test('uses the matching rule: its recipients and its selection', async () => {
    const plain = 'kind: Secret\nstringData:\n    token: abc\n';
    const out = await encrypt(plain, { repoRoot: repo, filePath: join(repo, 'clusters', 'prod', 'secrets', 's.yaml') });
    assert.match(out, /^kind: Secret$/m);
    assert.match(out, /^ {4}token: ENC\[/m);
    assert.deepEqual(inspect(out).recipients.age, [TEST_RECIPIENT, TEST_RECIPIENT_2]);
    assert.equal(await decrypt(out, { identities: [TEST_IDENTITY_2] }), plain);
    assert.equal(await decrypt(out, { identities: [TEST_IDENTITY] }), plain);
  });

  test('a PGP rule needs the sops binary, and says so', async () => {
    await assert.rejects(encrypt('a: b\n', { repoRoot: repo, filePath: join(repo, 'legacy', 's.yaml'), sopsBinary: { binaryPath: join(repo, 'no-sops') } }), {
      code: 'BINARY_MISSING',
      message: `${join(repo, 'legacy', 's.yaml')}: creation rule 2 of ${join(repo, '.sops.yaml')} (pgp keys) needs the sops binary, but the configured sops binary ${join(repo, 'no-sops')} does not exist; install sops or set its path`,
    });
  });

  test('key groups need the sops binary, and say so', async () => {
    await assert.rejects(encrypt('a: b\n', { repoRoot: repo, filePath: join(repo, 'groups', 's.yaml'), sopsBinary: { env: { PATH: '' } } }), {
      code: 'BINARY_MISSING',
      message: `${join(repo, 'groups', 's.yaml')}: creation rule 3 of ${join(repo, '.sops.yaml')} (key_groups) needs the sops binary, but no sops binary was found on PATH; install sops or set its path`,
    });
  });

  test('no rule and no recipients', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'gg-sops-norule-'));
    try {
      await assert.rejects(encrypt('a: b\n', { repoRoot: outside, filePath: join(outside, 's.yaml') }), {
        code: 'NO_CREATION_RULE',
        message: `${join(outside, 's.yaml')}: no recipients given and no .sops.yaml creation rule found under ${outside}`,
      });
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });
});
