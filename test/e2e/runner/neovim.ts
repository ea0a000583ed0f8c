import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { LspDiagnostic } from './findings';
import { NEOVIM, REPO_ROOT } from './paths';
import { removeAtExit, removeTemporaryDir, runCommand, tail } from './processes';

const COLLECT_SCRIPT = path.join(REPO_ROOT, 'test', 'e2e', 'neovim', 'collect-diagnostics.lua');

export interface NeovimLspReport {
  attached: boolean;
  initialized: boolean;
  publishCount: number;
  waitedMs: number;
  exitCode: number | null;
  errors: string[];
  /** URI → the diagnostics last published for it. */
  diagnostics: Record<string, LspDiagnostic[]>;
}

/**
 * Opens `file` in headless Neovim, attaches `serverCommand` (stdio) with `rootDir` as its
 * workspace, and returns what the server published once it went quiet.
 */
export async function collectNeovimDiagnostics(options: { serverCommand: string[]; rootDir: string; file: string; timeoutMs?: number }): Promise<NeovimLspReport> {
  const timeoutMs = options.timeoutMs ?? 20_000;
  const workDir = removeAtExit(fs.mkdtempSync(path.join(os.tmpdir(), 'gg-e2e-nvim-')));
  const output = path.join(workDir, 'diagnostics.json');
  try {
    const result = await runCommand(NEOVIM, ['--headless', '-i', 'NONE', '-n', '-u', 'NONE', '-c', `luafile ${COLLECT_SCRIPT}`, options.file], {
      cwd: options.rootDir,
      env: {
        ...process.env,
        // A private config/state home keeps a developer's own Neovim setup out of the test.
        XDG_CONFIG_HOME: path.join(workDir, 'config'),
        XDG_DATA_HOME: path.join(workDir, 'data'),
        XDG_STATE_HOME: path.join(workDir, 'state'),
        XDG_CACHE_HOME: path.join(workDir, 'cache'),
        GG_LSP_COMMAND: JSON.stringify(options.serverCommand),
        GG_LSP_ROOT: options.rootDir,
        GG_LSP_OUTPUT: output,
        GG_LSP_TIMEOUT_MS: String(timeoutMs),
      },
      timeoutMs: timeoutMs + 15_000,
    });
    if (!fs.existsSync(output)) {
      throw new Error(`neovim wrote no diagnostics (exit ${result.code ?? result.signal}):\n${tail(result.stdout + result.stderr)}`);
    }
    const report = JSON.parse(fs.readFileSync(output, 'utf8')) as NeovimLspReport;
    // An empty Lua table is encoded as a JSON array.
    if (Array.isArray(report.diagnostics)) report.diagnostics = {};
    return report;
  } finally {
    removeTemporaryDir(workDir);
  }
}
