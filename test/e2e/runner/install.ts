import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CACHE_ROOT, CODE_SERVER_PREFIX, CODE_SERVER_VERSION, VSCODE_SERVER_MAIN } from './paths';
import { runChecked, runCommand } from './processes';

/**
 * Debian packages the end-to-end tests need: the browser, the second LSP client, and what
 * code-server's native modules need to build offline (kerberos from source, and Debian's rg
 * in place of the binary @vscode/ripgrep would download).
 */
export const DEBIAN_PACKAGES = [
  'chromium',
  'neovim',
  'build-essential',
  'pkg-config',
  'python3',
  'libkrb5-dev',
  'ripgrep',
  'fonts-liberation',
];

/** The @vscode/ripgrep release code-server depends on, and the file its postinstall looks for. */
const RIPGREP_CACHE_DIR = path.join(os.tmpdir(), 'vscode-ripgrep-cache-1.15.11');
const RIPGREP_TARBALL = 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz';

const INSTALL_COMPLETE_MARKER = path.join(CODE_SERVER_PREFIX, '.install-complete');

function log(message: string): void {
  process.stderr.write(`[e2e install] ${message}\n`);
}

async function isDebianPackageInstalled(name: string): Promise<boolean> {
  const result = await runCommand('dpkg-query', ['-W', '-f=${Status}', name]);
  return result.code === 0 && result.stdout.includes('install ok installed');
}

/** Installs the missing Debian packages; does nothing (and needs no root) when all are there. */
export async function ensureDebianPackages(packages = DEBIAN_PACKAGES): Promise<string[]> {
  const missing: string[] = [];
  for (const name of packages) {
    if (!(await isDebianPackageInstalled(name))) missing.push(name);
  }
  if (missing.length === 0) return [];
  log(`apt-get install ${missing.join(' ')}`);
  const sudo = process.getuid?.() === 0 ? [] : ['sudo', '-n'];
  const apt = (args: string[]) => {
    const [command, ...rest] = [...sudo, 'apt-get', '-o', 'DPkg::Lock::Timeout=600', ...args];
    return runChecked(command!, rest, {
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
      timeoutMs: 15 * 60_000,
    });
  };
  // Package lists may be missing or stale on a fresh machine; refresh them once before installing.
  await apt(['update']);
  await apt(['install', '-y', '--no-install-recommends', ...missing]);
  return missing;
}

/** Puts Debian's rg where @vscode/ripgrep's postinstall looks before it would download one. */
async function seedRipgrepCache(): Promise<void> {
  const tarball = path.join(RIPGREP_CACHE_DIR, RIPGREP_TARBALL);
  if (fs.existsSync(tarball)) return;
  const staging = fs.mkdtempSync(path.join(os.tmpdir(), 'gg-e2e-rg-'));
  try {
    fs.copyFileSync('/usr/bin/rg', path.join(staging, 'rg'));
    fs.chmodSync(path.join(staging, 'rg'), 0o755);
    fs.mkdirSync(RIPGREP_CACHE_DIR, { recursive: true });
    const partial = `${tarball}.${process.pid}.partial`;
    await runChecked('tar', ['-czf', partial, '-C', staging, 'rg']);
    fs.renameSync(partial, tarball);
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

/**
 * Installs code-server (for the VS Code server it bundles) into a cache keyed by version.
 * Concurrent runs serialise on a lock file; a finished install is marked and reused.
 */
export async function ensureCodeServer(): Promise<string> {
  if (fs.existsSync(INSTALL_COMPLETE_MARKER) && fs.existsSync(VSCODE_SERVER_MAIN)) return VSCODE_SERVER_MAIN;
  await seedRipgrepCache();
  fs.mkdirSync(CACHE_ROOT, { recursive: true });
  const lockFile = `${CODE_SERVER_PREFIX}.lock`;
  // The marker check runs again under the lock, so a run that waited for another reuses its install.
  const script = [
    'set -e',
    `if [ -f "${INSTALL_COMPLETE_MARKER}" ]; then exit 0; fi`,
    `rm -rf "${CODE_SERVER_PREFIX}"`,
    `mkdir -p "${CODE_SERVER_PREFIX}"`,
    `cd "${CODE_SERVER_PREFIX}"`,
    `echo '{"name":"gitops-guardrails-e2e-code-server","private":true}' > package.json`,
    `npm install --no-audit --no-fund --unsafe-perm code-server@${CODE_SERVER_VERSION}`,
    `test -f "${VSCODE_SERVER_MAIN}"`,
    `touch "${INSTALL_COMPLETE_MARKER}"`,
  ].join('\n');
  log(`npm install code-server@${CODE_SERVER_VERSION} into ${CODE_SERVER_PREFIX} (about a minute, once)`);
  const started = Date.now();
  await runChecked('flock', [lockFile, 'bash', '-c', script], {
    // node-pty's install runs `npx node-gyp`, which would otherwise stop at a prompt.
    env: { ...process.env, npm_config_yes: 'true' },
    timeoutMs: 10 * 60_000,
  });
  log(`code-server installed in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return VSCODE_SERVER_MAIN;
}

/** Everything the end-to-end tests need on the machine; quick when it is all there. */
export async function ensureInstalled(): Promise<{ debianPackagesInstalled: string[]; seconds: number }> {
  const started = Date.now();
  const debianPackagesInstalled = await ensureDebianPackages();
  await ensureCodeServer();
  return { debianPackagesInstalled, seconds: (Date.now() - started) / 1000 };
}

// Lets the install run on its own: `node --import tsx test/e2e/runner/install.ts`.
if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(__filename)) {
  ensureInstalled().then(
    ({ debianPackagesInstalled, seconds }) => log(`ready in ${seconds.toFixed(1)} s; apt installed: ${debianPackagesInstalled.join(' ') || 'nothing'}`),
    (error: unknown) => {
      log(String(error instanceof Error ? error.stack : error));
      process.exitCode = 1;
    },
  );
}
