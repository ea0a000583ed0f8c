/** Shared test setup: where the read-only sops vectors live, the public test keys, tool probes. */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';

export const repoRoot = resolve(__dirname, '..', '..', '..');
export const vectorsDir = resolve(repoRoot, '..', 'shared', 'sops', 'vectors');
export const fixturesDir = resolve(repoRoot, 'test', 'fixtures', 'sops');

/** The skip option for tests that read ../shared (absent outside the team workspace). */
export const needsVectors = existsSync(vectorsDir) ? false : `needs the shared SOPS vectors at ${vectorsDir} (absent)`;

export function vector(path: string): string {
  return readFileSync(join(vectorsDir, path), 'utf8');
}

export function fixture(path: string): string {
  return readFileSync(join(fixturesDir, path), 'utf8');
}

/** Identity lines of a keys file from the vectors (public sops test keys). */
export function identitiesIn(path: string): string[] {
  return vector(path)
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.startsWith('AGE-SECRET-KEY-'));
}

export function hasTool(name: string): boolean {
  return spawnSync(name, ['--version'], { stdio: 'ignore' }).status === 0;
}

/** The skip option for tests that need a Debian tool. */
export function needsTool(name: string, debianPackage: string): false | string {
  return hasTool(name) ? false : `needs the ${name} binary (Debian package ${debianPackage}), not installed`;
}

/** A throw-away GNUPGHOME with the sops functional-test PGP keys imported. */
export function withGnupgHome<T>(run: (home: string) => T): T {
  const home = mkdtempSync(join(tmpdir(), 'gg-sops-gnupg-'));
  try {
    execFileSync('gpg', ['--batch', '--quiet', '--import', join(vectorsDir, 'pgp', 'sops_functional_tests_key.asc')], {
      env: { ...process.env, GNUPGHOME: home },
      stdio: ['ignore', 'ignore', 'ignore'],
    });
    return run(home);
  } finally {
    spawnSync('gpgconf', ['--kill', 'all'], { env: { ...process.env, GNUPGHOME: home }, stdio: 'ignore' });
    rmSync(home, { recursive: true, force: true });
  }
}

/** Unwraps a PGP-wrapped sops data key with gpg (the data key is 32 raw bytes). */
export function gpgDecrypt(home: string, armored: string): Buffer {
  return execFileSync('gpg', ['--batch', '--quiet', '--decrypt'], { input: armored, env: { ...process.env, GNUPGHOME: home }, stdio: ['pipe', 'pipe', 'ignore'] });
}

/** The armored `enc` of the first PGP entry with the given fingerprint in a sops YAML/JSON file. */
export function pgpEnc(text: string, fingerprint = 'FBC7B9E2A4F9289AC0C1D4843D16CEE4A27381B4'): string {
  const doc = parseYaml(text) as { sops: { pgp: Array<{ fp: string; enc: string }> } };
  const entry = doc.sops.pgp.find((p) => p.fp === fingerprint);
  if (!entry) throw new Error(`no pgp entry for ${fingerprint}`);
  return entry.enc;
}
