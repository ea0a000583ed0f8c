// Every file the product writes goes through here: the text goes to a temporary file in the same
// folder, is flushed to disk, and replaces the target by a rename, so a kill or a full disk
// leaves either the old file or the new one, never a truncated one. `--fix` also holds a lock
// per repository, so two runs never interleave their edits.
import { constants, promises as fs } from 'node:fs';
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';

export interface AtomicWriteOptions {
  /** Only create the file: when it exists already, nothing is written and false is returned. */
  createOnly?: boolean;
  /** Mode of a new file (an existing file keeps its own); default 0o666 less the umask. */
  mode?: number;
  /** For tests: called after each step ('written', 'synced'); throwing there simulates a failure between steps. */
  afterStep?: (step: 'written' | 'synced') => void;
}

/** The temporary file a write uses beside `target`; its name never ends in .yaml or .yml, so no scan reads it. */
function temporaryPath(target: string): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.${randomBytes(6).toString('hex')}.gitops-guardrails.tmp`);
}

/**
 * Writes `text` (or bytes) to `target` atomically (temporary file in the same folder, fsync, rename),
 * keeping the mode of an existing file. Returns false when `createOnly` and the file exists.
 */
export async function writeFileAtomic(target: string, text: string | Uint8Array, options: AtomicWriteOptions = {}): Promise<boolean> {
  const existing = await fs.stat(target).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (existing && options.createOnly) return false;
  if (existing && !existing.isFile()) throw new Error(`${target} is not a regular file`);
  const temp = temporaryPath(target);
  // An existing file's mode is applied after the write (the temporary file starts private); a new
  // file gets the default mode, which the umask reduces.
  const handle = await fs.open(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, existing ? 0o600 : (options.mode ?? 0o666));
  let renamed = false;
  try {
    try {
      await (typeof text === 'string' ? handle.writeFile(text, 'utf8') : handle.writeFile(text));
      options.afterStep?.('written');
      await handle.sync();
      options.afterStep?.('synced');
      if (existing) await handle.chmod(existing.mode & 0o7777);
    } finally {
      await handle.close();
    }
    if (options.createOnly) {
      // link() fails when the target appeared meanwhile: a creation never replaces a file.
      const linked = await fs.link(temp, target).then(
        () => true,
        async (error: NodeJS.ErrnoException) => {
          if (error.code === 'EEXIST') return false;
          // A file system without hard links: check, then rename (the fix lock serializes our own writes).
          if (await fs.stat(target).then(() => true, () => false)) return false;
          await fs.rename(temp, target);
          renamed = true;
          return true;
        },
      );
      if (!linked) return false;
    } else {
      await fs.rename(temp, target);
      renamed = true;
    }
    await syncFolder(path.dirname(target));
    return true;
  } finally {
    if (!renamed) await fs.rm(temp, { force: true });
  }
}

/** Flushes a folder's entries (the rename) where the platform allows it. */
async function syncFolder(folder: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await fs.open(folder, 'r').catch(() => undefined);
  if (!handle) return;
  await handle.sync().catch(() => undefined);
  await handle.close();
}

export const FIX_LOCK_FILE = '.gitops-guardrails-fix.lock';

export interface LockOptions {
  /** How long to wait for another run to finish, in milliseconds. */
  timeoutMs: number;
  /** Called once when the lock is held by another process and this one starts waiting. */
  onWait?: (holder: string) => void;
}

/**
 * Runs `body` while holding the repository's fix lock (`<root>/.gitops-guardrails-fix.lock`, created
 * exclusively, holding the pid). A lock whose process is gone is taken over; a live one is waited
 * for up to `timeoutMs`, then this throws.
 */
export async function withRepositoryLock<T>(root: string, options: LockOptions, body: () => Promise<T>): Promise<T> {
  const lock = path.join(root, FIX_LOCK_FILE);
  const deadline = Date.now() + options.timeoutMs;
  let waiting = false;
  for (;;) {
    const handle = await fs.open(lock, 'wx').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'EEXIST') return undefined;
      throw error;
    });
    if (handle) {
      try {
        await handle.writeFile(`${process.pid}\n`);
      } finally {
        await handle.close();
      }
      break;
    }
    const holder = (await fs.readFile(lock, 'utf8').catch(() => '')).trim();
    const pid = Number(holder);
    if (holder !== '' && Number.isInteger(pid) && pid > 0 && !processAlive(pid)) {
      // A run that was killed left its lock: take it over (one winner: rm then the exclusive open).
      await fs.rm(lock, { force: true });
      continue;
    }
    if (Date.now() >= deadline) {
      throw new Error(`another --fix run${holder ? ` (process ${holder.slice(0, 20)})` : ''} holds ${lock}; waited ${Math.round(options.timeoutMs / 1000)} s. Delete the file if no such run exists.`);
    }
    if (!waiting) options.onWait?.(holder);
    waiting = true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  try {
    return await body();
  } finally {
    await fs.rm(lock, { force: true });
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
