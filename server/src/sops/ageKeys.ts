/**
 * Finding the user's age identities where sops finds them: SOPS_AGE_KEY, SOPS_AGE_KEY_FILE,
 * SOPS_AGE_KEY_CMD (only with the caller's explicit consent, since it runs a program), and the
 * user config folder's sops/age/keys.txt; plus a key file chosen in the editor's settings.
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { SopsError } from './errors';
import { splitCommandLine } from './commandLine';

export interface IdentityOptions {
  /** Environment to read SOPS_AGE_* and XDG_CONFIG_HOME/AppData from; defaults to process.env. */
  env?: NodeJS.ProcessEnv;
  /** An explicit key file (e.g. from a VS Code setting), tried first. */
  keyFile?: string;
  /** SOPS_AGE_KEY_CMD is run only when this is true: the caller asked the user. */
  allowKeyCommand?: boolean;
  /** Passed to SOPS_AGE_KEY_CMD as SOPS_AGE_RECIPIENT, as sops does. */
  recipients?: string[];
  platform?: NodeJS.Platform;
  homeDir?: string;
}

export interface LoadedIdentities {
  identities: string[];
  /** Where we looked and what we found there, for the "no key" message. */
  searched: string[];
}

const IDENTITY = /^AGE-SECRET-KEY-(PQ-)?1[0-9A-Z]+$/;

/** Parses a keys file: identity lines, `#` comments and blank lines (a passphrase-encrypted file is not supported). */
export function parseIdentities(text: string): { identities: string[]; unsupported: number } {
  const identities: string[] = [];
  let unsupported = 0;
  for (const raw of text.split(/\r?\n|\s+(?=AGE-)/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    if (IDENTITY.test(line)) identities.push(line);
    else unsupported++;
  }
  return { identities, unsupported };
}

/** The folder sops reads `sops/age/keys.txt` from (Go's os.UserConfigDir, with sops' XDG override on macOS). */
export function userConfigDir(env: NodeJS.ProcessEnv, platform: NodeJS.Platform, home: string): string | undefined {
  if (platform === 'win32') return env.AppData ?? env.APPDATA;
  if (env.XDG_CONFIG_HOME) return env.XDG_CONFIG_HOME;
  if (platform === 'darwin') return join(home, 'Library', 'Application Support');
  return join(home, '.config');
}

async function readKeyFile(path: string, label: string, found: string[], searched: string[]): Promise<void> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    searched.push(`${label} ${path} (not found)`);
    return;
  }
  if (text.includes('-----BEGIN AGE ENCRYPTED FILE-----') || text.startsWith('age-encryption.org/')) {
    searched.push(`${label} ${path} (passphrase-protected keys files are not supported; use the sops binary)`);
    return;
  }
  const { identities } = parseIdentities(text);
  found.push(...identities);
  searched.push(`${label} ${path} (${identities.length} key${identities.length === 1 ? '' : 's'})`);
}

function runKeyCommand(command: string, env: NodeJS.ProcessEnv, recipients: string[]): Promise<string> {
  const [program, ...args] = splitCommandLine(command);
  if (!program) return Promise.reject(new SopsError('KEY_COMMAND', 'SOPS_AGE_KEY_CMD is empty'));
  return new Promise((resolve, reject) => {
    execFile(program, args, { env: { ...env, SOPS_AGE_RECIPIENT: recipients.join(',') }, timeout: 60_000, maxBuffer: 1 << 20, shell: false }, (err, stdout) => {
      if (err) reject(new SopsError('KEY_COMMAND', `SOPS_AGE_KEY_CMD (${program}) failed${typeof err.code === 'number' ? ` with exit code ${err.code}` : ''}`));
      else resolve(stdout);
    });
  });
}

export async function loadIdentities(options: IdentityOptions = {}): Promise<LoadedIdentities> {
  const env = options.env ?? process.env;
  const platform = options.platform ?? process.platform;
  const home = options.homeDir ?? homedir();
  const identities: string[] = [];
  const searched: string[] = [];
  if (options.keyFile) await readKeyFile(options.keyFile, 'key file setting', identities, searched);
  if (env.SOPS_AGE_KEY) {
    const { identities: ids } = parseIdentities(env.SOPS_AGE_KEY);
    identities.push(...ids);
    searched.push(`SOPS_AGE_KEY (${ids.length} key${ids.length === 1 ? '' : 's'})`);
  } else searched.push('SOPS_AGE_KEY (not set)');
  if (env.SOPS_AGE_KEY_FILE) await readKeyFile(env.SOPS_AGE_KEY_FILE, 'SOPS_AGE_KEY_FILE', identities, searched);
  else searched.push('SOPS_AGE_KEY_FILE (not set)');
  if (env.SOPS_AGE_KEY_CMD) {
    if (options.allowKeyCommand) {
      const output = await runKeyCommand(env.SOPS_AGE_KEY_CMD, env, options.recipients ?? []);
      const { identities: ids } = parseIdentities(output);
      identities.push(...ids);
      searched.push(`SOPS_AGE_KEY_CMD (${ids.length} key${ids.length === 1 ? '' : 's'})`);
    } else searched.push('SOPS_AGE_KEY_CMD (set, but not run without consent)');
  } else searched.push('SOPS_AGE_KEY_CMD (not set)');
  const configDir = userConfigDir(env, platform, home);
  if (configDir) await readKeyFile(join(configDir, 'sops', 'age', 'keys.txt'), 'user keys file', identities, searched);
  return { identities: [...new Set(identities)], searched };
}

/** The error for "no age identity at all", listing every place that was searched. */
export function noIdentityError(file: string, searched: string[]): SopsError {
  return new SopsError('NO_IDENTITY', `${file}: no age identity found to decrypt the data key; looked in: ${searched.join('; ')}`);
}
