/** age identities are found where sops looks, in its order, and SOPS_AGE_KEY_CMD only runs with consent. */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { decrypt, encrypt, loadIdentities, parseIdentities, userConfigDir } from '../../../server/src/sops/index';
import { MOCK_IDENTITY, TEST_IDENTITY, TEST_IDENTITY_2, TEST_RECIPIENT } from './fixture-keys';

let dir: string;
const file = (rel: string, text: string) => {
  const path = join(dir, rel);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, text, { mode: 0o600 });
  return path;
};
const ID3 = MOCK_IDENTITY;

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'gg-sops-ids-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

describe('identity lookup', () => {
  test('keys files: identity lines only, comments and blank lines ignored', () => {
    assert.deepEqual(parseIdentities(`# created: 2020\n# public key: age1…\n${TEST_IDENTITY}\n\n${TEST_IDENTITY_2}\n`).identities, [TEST_IDENTITY, TEST_IDENTITY_2]);
  });

  test('order: key file setting, SOPS_AGE_KEY, SOPS_AGE_KEY_FILE, SOPS_AGE_KEY_CMD, user config keys.txt', async () => {
    const setting = file('setting.txt', `${ID3}\n`);
    const envFile = file('env-file.txt', `# comment\n${TEST_IDENTITY_2}\n`);
    file('xdg/sops/age/keys.txt', `${TEST_IDENTITY}\n`);
    const result = await loadIdentities({
      keyFile: setting,
      env: { SOPS_AGE_KEY: `${TEST_IDENTITY}  ${TEST_IDENTITY_2}`, SOPS_AGE_KEY_FILE: envFile, XDG_CONFIG_HOME: join(dir, 'xdg') },
      platform: 'linux',
      homeDir: join(dir, 'home'),
    });
    assert.deepEqual(result.identities, [ID3, TEST_IDENTITY, TEST_IDENTITY_2]);
    assert.deepEqual(result.searched, [
      `key file setting ${setting} (1 key)`,
      'SOPS_AGE_KEY (2 keys)',
      `SOPS_AGE_KEY_FILE ${envFile} (1 key)`,
      'SOPS_AGE_KEY_CMD (not set)',
      `user keys file ${join(dir, 'xdg', 'sops', 'age', 'keys.txt')} (1 key)`,
    ]);
  });

  test('without XDG_CONFIG_HOME, Linux uses ~/.config', async () => {
    file('home/.config/sops/age/keys.txt', `${TEST_IDENTITY_2}\n`);
    const result = await loadIdentities({ env: {}, platform: 'linux', homeDir: join(dir, 'home') });
    assert.deepEqual(result.identities, [TEST_IDENTITY_2]);
  });

  test('the user config folder per OS, as sops', () => {
    assert.equal(userConfigDir({}, 'darwin', '/Users/u'), join('/Users/u', 'Library', 'Application Support'));
    assert.equal(userConfigDir({ XDG_CONFIG_HOME: '/x' }, 'darwin', '/Users/u'), '/x');
    assert.equal(userConfigDir({ APPDATA: 'C:\\Users\\u\\AppData\\Roaming' }, 'win32', 'C:\\Users\\u'), 'C:\\Users\\u\\AppData\\Roaming');
    assert.equal(userConfigDir({}, 'linux', '/home/u'), join('/home/u', '.config'));
  });

  test('SOPS_AGE_KEY_CMD is not run without consent', async () => {
    const marker = join(dir, 'cmd-ran');
    const result = await loadIdentities({ env: { SOPS_AGE_KEY_CMD: `touch ${marker}` }, platform: 'linux', homeDir: join(dir, 'nohome') });
    assert.equal(existsSync(marker), false);
    assert.ok(result.searched.includes('SOPS_AGE_KEY_CMD (set, but not run without consent)'));
  });

  test('SOPS_AGE_KEY_CMD with consent runs as an argument array, never through a shell', async () => {
    const marker = join(dir, 'shell-ran');
    const env = { PATH: process.env.PATH, SOPS_AGE_KEY_CMD: `printf '%s\\n' ${TEST_IDENTITY} ; touch ${marker}` };
    const result = await loadIdentities({ env, allowKeyCommand: true, platform: 'linux', homeDir: join(dir, 'nohome') });
    assert.deepEqual(result.identities, [TEST_IDENTITY]);
    assert.equal(existsSync(marker), false, 'a shell would have run touch');
  });

  test('SOPS_AGE_KEY_CMD gets SOPS_AGE_RECIPIENT', async () => {
    const script = file('cmd.js', `process.stdout.write(process.env.SOPS_AGE_RECIPIENT === '${TEST_RECIPIENT}' ? '${TEST_IDENTITY}\\n' : '')`);
    const env = { PATH: process.env.PATH, SOPS_AGE_KEY_CMD: `"${process.execPath}" ${script}` };
    const result = await loadIdentities({ env, allowKeyCommand: true, recipients: [TEST_RECIPIENT], platform: 'linux', homeDir: join(dir, 'nohome') });
    assert.deepEqual(result.identities, [TEST_IDENTITY]);
  });

  test('a malformed identity is reported without echoing it', async () => {
    const encrypted = await encrypt('a: b\n', { recipients: [TEST_RECIPIENT], format: 'yaml' });
    const bad = TEST_IDENTITY.slice(0, -1) + (TEST_IDENTITY.endsWith('6') ? '7' : '6');
    await assert.rejects(decrypt(encrypted, { identities: [TEST_IDENTITY_2, bad] }), (e: Error & { code?: string }) => {
      assert.equal(e.code, 'BAD_FORMAT');
      assert.equal(e.message, 'age identity #2 is malformed (expected AGE-SECRET-KEY-1…)');
      return true;
    });
  });

  test('a missing key says where it looked', async () => {
    const encrypted = await encrypt('a: b\n', { recipients: [TEST_RECIPIENT], format: 'yaml' });
    const home = join(dir, 'empty-home');
    await assert.rejects(decrypt(encrypted, { filePath: 's.yaml', identityOptions: { env: { SOPS_AGE_KEY_FILE: join(dir, 'missing.txt') }, platform: 'linux', homeDir: home } }), {
      code: 'NO_IDENTITY',
      message: `s.yaml: no age identity found to decrypt the data key; looked in: SOPS_AGE_KEY (not set); SOPS_AGE_KEY_FILE ${join(dir, 'missing.txt')} (not found); SOPS_AGE_KEY_CMD (not set); user keys file ${join(home, '.config', 'sops', 'age', 'keys.txt')} (not found)`,
    });
  });

  test('decrypt finds the key through the environment', async () => {
    const encrypted = await encrypt('a: b\n', { recipients: [TEST_RECIPIENT], format: 'yaml' });
    assert.equal(await decrypt(encrypted, { identityOptions: { env: { SOPS_AGE_KEY: TEST_IDENTITY }, homeDir: join(dir, 'nohome') } }), 'a: b\n');
  });
});
