/**
 * The `sops` binary for what the built-in engine does not do (PGP, cloud KMS, Vault, Shamir key
 * groups, ini/env/binary files). Always spawned with an argument array, never through a shell;
 * plaintext goes through pipes, never through a file.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { SopsError } from './errors';

export interface SopsBinaryOptions {
  /** A configured path to sops (a VS Code setting); otherwise sops is looked up on PATH. */
  binaryPath?: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /**
   * Consent to run SOPS_AGE_KEY_CMD (sops 3.10+ runs it itself): without it the variable is removed
   * from the binary's environment, as the built-in engine does not run it either.
   */
  allowKeyCommand?: boolean;
  /** Set when no program may run (an untrusted workspace): why; the binary is then never looked up. */
  refusedBecause?: string;
}

/** The environment the binary runs in: the given one, without SOPS_AGE_KEY_CMD unless consented. */
export function binaryEnvironment(options: SopsBinaryOptions): NodeJS.ProcessEnv {
  const env = options.env ?? process.env;
  if (options.allowKeyCommand || env.SOPS_AGE_KEY_CMD === undefined) return env;
  const { SOPS_AGE_KEY_CMD: _withheld, ...rest } = env;
  return rest;
}

export function findSopsBinary(options: SopsBinaryOptions = {}): string | undefined {
  if (options.refusedBecause) return undefined;
  if (options.binaryPath) return existsSync(options.binaryPath) ? options.binaryPath : undefined;
  const env = options.env ?? process.env;
  const names = process.platform === 'win32' ? ['sops.exe', 'sops.cmd', 'sops'] : ['sops'];
  for (const dir of (env.PATH ?? env.Path ?? '').split(delimiter)) {
    if (!dir) continue;
    for (const name of names) {
      const candidate = join(dir, name);
      if (existsSync(candidate)) return candidate;
    }
  }
  return undefined;
}

/** The error when a file needs the binary and there is none; it names what is missing and why. */
export function binaryMissingError(file: string, why: string, options: SopsBinaryOptions = {}): SopsError {
  if (options.refusedBecause) return new SopsError('BINARY_MISSING', `${file}: ${why} needs the sops binary, which is not run here: ${options.refusedBecause}`);
  const where = options.binaryPath ? `the configured sops binary ${options.binaryPath} does not exist` : 'no sops binary was found on PATH';
  return new SopsError('BINARY_MISSING', `${file}: ${why} needs the sops binary, but ${where}; install sops or set its path`);
}

export interface BinaryResult {
  stdout: string;
  stderr: string;
  code: number;
}

export function runSops(binary: string, args: string[], input: string | undefined, options: SopsBinaryOptions = {}): Promise<BinaryResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(binary, args, { cwd: options.cwd, env: binaryEnvironment(options), shell: false, stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', () => reject(new SopsError('BINARY_FAILED', `could not start ${binary}`)));
    child.on('close', (code) => resolvePromise({ stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), code: code ?? 1 }));
    child.stdin.end(input ?? '');
  });
}

/**
 * Runs `sops decrypt|encrypt` on text given through stdin; `filePath` lets sops pick the
 * creation rule and the store. Its stderr is reported (sops never prints plaintext there).
 */
export async function sopsBinaryTransform(
  action: 'decrypt' | 'encrypt',
  text: string,
  filePath: string,
  format: string,
  why: string,
  options: SopsBinaryOptions = {},
): Promise<string> {
  const binary = findSopsBinary(options);
  if (!binary) throw binaryMissingError(filePath, why, options);
  if (process.platform === 'win32') throw new SopsError('UNSUPPORTED', `${filePath}: piping to the sops binary is not supported on Windows yet`);
  const args = [action, '--filename-override', filePath, '--input-type', format, '--output-type', format, '/dev/stdin'];
  const result = await runSops(binary, args, text, options);
  if (result.code !== 0) {
    const detail = result.stderr.trim().split('\n').slice(-3).join(' ').slice(0, 500);
    throw new SopsError('BINARY_FAILED', `${filePath}: sops ${action} failed (exit ${result.code}): ${detail}`);
  }
  return result.stdout;
}
