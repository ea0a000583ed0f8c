import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import * as fs from 'node:fs';

export interface CommandResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions extends SpawnOptions {
  /** Kills the command's process group when it runs longer than this. */
  timeoutMs?: number;
}

/** Runs a command in its own process group, without standard input, and collects its output. */
export function runCommand(command: string, args: string[], options: RunOptions = {}): Promise<CommandResult> {
  const { timeoutMs, ...spawnOptions } = options;
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true, ...spawnOptions });
    trackProcessGroup(child);
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk));
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk));
    const timer = timeoutMs === undefined ? undefined : setTimeout(() => {
      killProcessGroup(child);
      reject(new Error(`${command} ${args.join(' ')} did not finish within ${timeoutMs / 1000} s\n${tail(stdout + stderr)}`));
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      killProcessGroup(child);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** Like runCommand, but a non-zero exit is an error that carries the end of the output. */
export async function runChecked(command: string, args: string[], options: RunOptions = {}): Promise<CommandResult> {
  const result = await runCommand(command, args, options);
  if (result.code !== 0) {
    throw new Error(`${command} ${args.join(' ')} exited with ${result.code ?? result.signal}\n${tail(result.stdout + result.stderr)}`);
  }
  return result;
}

const liveGroups = new Set<number>();
let exitHookInstalled = false;

/**
 * Remembers a detached child's process group so that it is killed even when this process ends
 * abruptly (a watchdog, an uncaught error, Ctrl+C), not only through the normal cleanup.
 */
export function trackProcessGroup(child: ChildProcess): void {
  if (child.pid === undefined) return;
  const pid = child.pid;
  // The group is kept after the leader exits: its other members (a file watcher) may live on.
  liveGroups.add(pid);
  installExitHook();
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    killTrackedProcessGroups();
    removeTemporaryDirs();
  });
  for (const [signal, number] of [['SIGINT', 2], ['SIGTERM', 15], ['SIGHUP', 1]] as const) {
    process.once(signal, () => process.exit(128 + number));
  }
}

const temporaryDirs = new Set<string>();

/** A directory this run created and must remove, even when it ends through the watchdog. */
export function removeAtExit(dir: string): string {
  temporaryDirs.add(dir);
  installExitHook();
  return dir;
}

export function removeTemporaryDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
  temporaryDirs.delete(dir);
}

function removeTemporaryDirs(): void {
  for (const dir of temporaryDirs) fs.rmSync(dir, { recursive: true, force: true });
  temporaryDirs.clear();
}

export function killTrackedProcessGroups(): void {
  for (const pid of liveGroups) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  liveGroups.clear();
}

/** Ends a process started with `detached: true` together with every child it left in its group. */
export function killProcessGroup(child: ChildProcess, signal: NodeJS.Signals = 'SIGKILL'): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // The group is already gone.
  }
  if (signal === 'SIGKILL') liveGroups.delete(child.pid);
}

export function tail(text: string, lines = 40): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `probe` until it returns a value other than undefined, or throws after `timeoutMs`. */
export async function waitFor<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>, intervalMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`);
    }
    await sleep(intervalMs);
  }
}
