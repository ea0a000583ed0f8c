/**
 * `gitops-guardrails sops encrypt|decrypt [-i] FILE`: the engine from a terminal. Exit codes:
 * 0 success, 1 any failure (wrong key, MAC mismatch, …), 2 usage errors.
 */
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { writeFileAtomic } from '../writes';
import { decrypt } from './decrypt';
import { encrypt } from './encrypt';
import { SopsError } from './errors';
import { findRepoRoot } from './repoRoot';

export interface SopsCliIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  cwd: string;
  env: NodeJS.ProcessEnv;
}

const USAGE = `Usage:
  gitops-guardrails sops decrypt [-i|--in-place] [--allow-key-command] FILE
  gitops-guardrails sops encrypt [-i|--in-place] [--allow-key-command] FILE

decrypt verifies the MAC; age identities come from SOPS_AGE_KEY, SOPS_AGE_KEY_FILE or
<config dir>/sops/age/keys.txt. encrypt uses the nearest .sops.yaml creation rule.
Without -i the result is written to stdout. SOPS_AGE_KEY_CMD runs a program: it is used (and
passed to the sops binary) only with --allow-key-command.
`;

function parseArgs(argv: string[]): { action: 'encrypt' | 'decrypt'; inPlace: boolean; allowKeyCommand: boolean; file: string } | string {
  const [action, ...rest] = argv;
  if (action !== 'encrypt' && action !== 'decrypt') return action ? `unknown sops command "${action}"` : 'missing sops command';
  let inPlace = false;
  let allowKeyCommand = false;
  const files: string[] = [];
  for (const arg of rest) {
    if (arg === '-i' || arg === '--in-place') inPlace = true;
    else if (arg === '--allow-key-command') allowKeyCommand = true;
    else if (arg.startsWith('-') && arg !== '-') return `unknown option "${arg}"`;
    else files.push(arg);
  }
  if (files.length !== 1) return files.length ? 'expected exactly one FILE' : 'missing FILE';
  return { action, inPlace, allowKeyCommand, file: files[0] };
}

export async function runSopsCommand(argv: string[], io: SopsCliIO): Promise<number> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    io.stdout(USAGE);
    return argv.length === 0 ? 2 : 0;
  }
  const args = parseArgs(argv);
  if (typeof args === 'string') {
    io.stderr(`gitops-guardrails sops: ${args}\n${USAGE}`);
    return 2;
  }
  const path = resolve(io.cwd, args.file);
  try {
    const text = await readFile(path, 'utf8').catch(() => {
      throw new SopsError('BAD_FORMAT', `${args.file}: cannot read the file`);
    });
    const output =
      args.action === 'decrypt'
        ? await decrypt(text, { filePath: path, identityOptions: { env: io.env, allowKeyCommand: args.allowKeyCommand }, sopsBinary: { env: io.env, cwd: io.cwd, allowKeyCommand: args.allowKeyCommand } })
        : await encrypt(text, { filePath: path, repoRoot: findRepoRoot(dirname(path)), sopsBinary: { env: io.env, cwd: io.cwd, allowKeyCommand: args.allowKeyCommand } });
    // Atomic (temporary file, fsync, rename) and keeping the file's mode: a failure never leaves half a file.
    if (args.inPlace) await writeFileAtomic(path, output);
    else io.stdout(output);
    return 0;
  } catch (error) {
    // Foreign errors may quote what they were given, so only their name and code are shown.
    const message = error instanceof SopsError ? error.message : `unexpected error (${(error as Error).name}${(error as NodeJS.ErrnoException).code ? ` ${(error as NodeJS.ErrnoException).code}` : ''})`;
    io.stderr(`gitops-guardrails sops ${args.action}: ${message}\n`);
    return 1;
  }
}
