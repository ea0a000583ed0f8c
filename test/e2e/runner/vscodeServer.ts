import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { VSCODE_SERVER_MAIN } from './paths';
import { killProcessGroup, removeAtExit, removeTemporaryDir, runChecked, tail, trackProcessGroup, waitFor } from './processes';

const USER_SETTINGS = {
  'workbench.startupEditor': 'none',
  'security.workspace.trust.enabled': false,
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'update.mode': 'none',
  'telemetry.telemetryLevel': 'off',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  // Tests edit documents in memory only; nothing may write into the example repository.
  'files.autoSave': 'off',
  // The repository's own .git is above the example workspace; the prompt would cover the panel.
  'git.openRepositoryInParentFolders': 'never',
  // The example's HelmRepositories would make every session ask to fetch charts from the internet.
  'gitopsGuardrails.charts.fetch': 'never',
};

export interface VsCodeServerOptions {
  /** Directory of installed extensions; a fresh one when omitted. */
  extensionsDir?: string;
  /** Environment of the extension host (and so of the language server it spawns). */
  env?: Record<string, string>;
  /**
   * Opens workspaces untrusted (Restricted Mode): workspace trust on (no --disable-workspace-trust,
   * `security.workspace.trust.enabled`), no startup prompt, and no folder trusted yet.
   */
  restricted?: boolean;
  /** User settings added to the harness's own. */
  settings?: Record<string, unknown>;
}

/** Directories one run of the VS Code server owns; all are fresh and removed at the end. */
export interface VsCodeServerDirs {
  root: string;
  serverData: string;
  userData: string;
  extensions: string;
}

/** What Restricted Mode needs on top of USER_SETTINGS: trust enabled, and nothing asks or trusts for the user. */
const RESTRICTED_SETTINGS = {
  'security.workspace.trust.enabled': true,
  'security.workspace.trust.startupPrompt': 'never',
  'security.workspace.trust.banner': 'never',
  'security.workspace.trust.emptyWindow': false,
  'security.workspace.trust.untrustedFiles': 'open',
};

export function createServerDirs(extensionsDir?: string, settings: Record<string, unknown> = {}): VsCodeServerDirs {
  const root = removeAtExit(fs.mkdtempSync(path.join(os.tmpdir(), 'gg-e2e-vscode-')));
  const dirs = {
    root,
    serverData: path.join(root, 'server-data'),
    userData: path.join(root, 'user-data'),
    extensions: extensionsDir ?? path.join(root, 'extensions'),
  };
  for (const dir of [dirs.serverData, dirs.extensions, path.join(dirs.userData, 'User')]) fs.mkdirSync(dir, { recursive: true });
  // Machine-scoped settings (gitopsGuardrails.charts.fetch) are read from the server's machine
  // settings in a remote workbench, not from the user's.
  const fetch = settings['gitopsGuardrails.charts.fetch'] ?? USER_SETTINGS['gitopsGuardrails.charts.fetch'];
  for (const machine of [path.join(dirs.serverData, 'data', 'Machine'), path.join(dirs.userData, 'Machine')]) {
    fs.mkdirSync(machine, { recursive: true });
    fs.writeFileSync(path.join(machine, 'settings.json'), JSON.stringify({ 'gitopsGuardrails.charts.fetch': fetch }, null, 2));
  }
  fs.writeFileSync(path.join(dirs.userData, 'User', 'settings.json'), JSON.stringify({ ...USER_SETTINGS, ...settings }, null, 2));
  return dirs;
}

function serverArgs(dirs: VsCodeServerDirs): string[] {
  return [
    VSCODE_SERVER_MAIN,
    '--accept-server-license-terms',
    '--telemetry-level', 'off',
    '--server-data-dir', dirs.serverData,
    '--user-data-dir', dirs.userData,
    '--extensions-dir', dirs.extensions,
  ];
}

/** Installs a .vsix with the server's own CLI, the way a user's server would. */
export async function installExtension(vsixPath: string, dirs: VsCodeServerDirs): Promise<string> {
  const result = await runChecked(process.execPath, [...serverArgs(dirs), '--install-extension', vsixPath, '--force'], {
    timeoutMs: 120_000,
  });
  return result.stdout + result.stderr;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** A running VS Code server: the bundled server of code-server, in its own process group. */
export class VsCodeServer {
  private output = '';

  private constructor(
    readonly port: number,
    readonly dirs: VsCodeServerDirs,
    private readonly child: ChildProcess,
  ) {
    child.stdout?.on('data', (chunk: Buffer) => (this.output += chunk));
    child.stderr?.on('data', (chunk: Buffer) => (this.output += chunk));
  }

  static async start(options: VsCodeServerOptions = {}): Promise<VsCodeServer> {
    const dirs = createServerDirs(options.extensionsDir, { ...options.settings, ...(options.restricted ? RESTRICTED_SETTINGS : {}) });
    const port = await freePort();
    const args = [
      ...serverArgs(dirs),
      '--host', '127.0.0.1',
      '--port', String(port),
      '--without-connection-token',
      '--enable-smoke-test-driver',
      // The flag turns trust off for the whole server, whatever the settings say.
      ...(options.restricted ? [] : ['--disable-workspace-trust']),
    ];
    // `detached` makes the server a session and group leader (setsid), so its file watcher and
    // extension host can be ended with it.
    const child = spawn(process.execPath, args, {
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...options.env },
    });
    trackProcessGroup(child);
    const server = new VsCodeServer(port, dirs, child);
    try {
      await waitFor('the VS Code server to answer /version', 30_000, async () => {
        if (child.exitCode !== null) throw new Error(`the VS Code server exited with ${child.exitCode}\n${tail(server.output)}`);
        const response = await fetch(`${server.origin}/version`);
        return response.ok ? await response.text() : undefined;
      });
    } catch (error) {
      await server.stop();
      throw error;
    }
    return server;
  }

  get origin(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** A path on this machine as the workbench addresses it through the server. */
  remoteUri(absolutePath: string): string {
    return `vscode-remote://127.0.0.1:${this.port}${absolutePath}`;
  }

  /** The workbench URL for a folder, optionally with an extension under development and its tests. */
  workbenchUrl(folder: string, development?: { extensionPath: string; testsPath?: string }): string {
    const params = new URLSearchParams({ folder });
    if (development) {
      const payload: [string, string][] = [['extensionDevelopmentPath', this.remoteUri(development.extensionPath)]];
      if (development.testsPath) payload.push(['extensionTestsPath', this.remoteUri(development.testsPath)]);
      params.set('payload', JSON.stringify(payload));
    }
    return `${this.origin}/?${params.toString()}`;
  }

  get log(): string {
    return this.output;
  }

  /** Ends the server's whole process group and removes its directories. */
  async stop(): Promise<void> {
    const exited = this.child.exitCode !== null || this.child.signalCode !== null
      ? Promise.resolve()
      : new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    killProcessGroup(this.child, 'SIGTERM');
    const stillRunning = await Promise.race([exited.then(() => false), new Promise<boolean>((r) => setTimeout(() => r(true), 3_000))]);
    // Children of the group (file watcher, extension host, language server) get SIGKILL either way.
    killProcessGroup(this.child, 'SIGKILL');
    if (stillRunning) await exited;
    removeTemporaryDir(this.dirs.root);
  }
}
