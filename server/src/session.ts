// One checked workspace: the model, the latest findings by file, and what changed since the last
// publication. The language server drives it; it knows nothing of the LSP wire format.
import { promises as fs } from 'node:fs';
import { compareFindings, runChecks, runChecksInSteps, suppressed, type CheckOptions } from './check';
import { RepoModel } from './model/model';
import { ParseCache } from './model/parse-cache';
import { toAbsolute } from './model/paths';
import { isYamlPath } from './model/parse';
import { admitsFile, scanPath } from './model/scan';
import { RULE_IDS, RULES } from './rules';
import type { Finding } from './rules/types';

export class CheckSession {
  private findingsByFile = new Map<string, Finding[]>();
  /** Open editor buffers, and whether the scan's rule admits each. */
  private readonly openFiles = new Map<string, boolean>();

  private constructor(
    readonly model: RepoModel,
    private options: CheckOptions,
  ) {}

  /** Severities from the editor's settings changed: the next recheck uses them. */
  setSeverities(severities: CheckOptions['severities']): void {
    this.options = { ...this.options, severities };
  }

  /** `cacheFolder`: where the parse cache lives (model/parse-cache.ts); without it nothing is cached. */
  static async open(root: string, options: CheckOptions = {}, onProgress?: (done: number, total: number) => void, cacheFolder?: string): Promise<CheckSession> {
    if (!cacheFolder) return new CheckSession(await RepoModel.load(root, RULE_IDS, onProgress), options);
    const cache = await ParseCache.open(cacheFolder, root);
    const model = await RepoModel.load(root, RULE_IDS, onProgress, { cache });
    // Written while the rules run; a failure only costs the next start its time.
    void cache.save();
    return new CheckSession(model, options);
  }

  get root(): string {
    return this.model.root;
  }

  findings(file: string): readonly Finding[] {
    return this.findingsByFile.get(file) ?? [];
  }

  /** Every finding of the last check. */
  allFindings(): Finding[] {
    return [...this.findingsByFile.values()].flat();
  }

  /** Runs every rule; returns the files whose findings must be (re)published, emptied ones included. */
  recheck(): Map<string, Finding[]> {
    return this.take(runChecks(this.model, this.options));
  }

  /**
   * recheck() in steps (check.ts's runChecksInSteps), awaiting `pause` between them: the language
   * server's first check, which must not hold requests up. The open buffers' findings are handed
   * to `early` as the rules find them: each is a finding of the whole check (what it says is
   * final; the list grows until the last rule has run), so open editors show problems before the
   * rest of the repository is checked. The model must not change meanwhile (the server holds
   * back document changes until the first check is done).
   */
  async recheckInSteps(pause: (done: number, total: number) => Promise<void>, early: (file: string, findings: Finding[]) => void): Promise<Map<string, Finding[]>> {
    const open = new Map<string, Finding[]>();
    for (const [file, admitted] of this.openFiles) if (admitted) open.set(file, []);
    const total = (this.options.rules ?? RULES).length + 1;
    let done = 0;
    const findings = await runChecksInSteps(this.model, this.options, async (ruleFindings) => {
      const grown = new Set<string>();
      for (const finding of ruleFindings) {
        const list = open.get(finding.file);
        if (!list || suppressed(this.model, finding)) continue;
        list.push(finding);
        grown.add(finding.file);
      }
      for (const file of grown) early(file, [...open.get(file)!].sort(compareFindings));
      await pause(++done, total);
    });
    return this.take(findings);
  }

  /** The latest findings: the files whose findings changed (emptied ones included). */
  private take(findings: readonly Finding[]): Map<string, Finding[]> {
    const next = new Map<string, Finding[]>();
    for (const finding of findings) {
      let list = next.get(finding.file);
      if (!list) next.set(finding.file, (list = []));
      list.push(finding);
    }
    const changed = new Map<string, Finding[]>();
    for (const [file, list] of next) {
      if (!sameFindings(this.findingsByFile.get(file), list)) changed.set(file, list);
    }
    for (const file of this.findingsByFile.keys()) if (!next.has(file)) changed.set(file, []);
    this.findingsByFile = next;
    return changed;
  }

  /**
   * The content of an open editor buffer, in the model at once (the requests that follow a change
   * see it). A buffer of a file the scan leaves out (a symbolic link, an ignored file) then leaves
   * the model again, as the file would stay out on disk: whether it is admitted is asked once,
   * when it opens.
   */
  open(file: string, text: string): Promise<void> {
    const known = this.openFiles.get(file);
    if (known === false) return Promise.resolve();
    this.model.setFile(file, text);
    if (known === true) return Promise.resolve();
    this.openFiles.set(file, true);
    return this.serially(async () => {
      if (await admitsFile(this.root, file)) return;
      if (this.openFiles.has(file)) this.openFiles.set(file, false);
      await this.reloadNow(file);
    });
  }

  /** An editor buffer closed: its text is dropped, the file on disk counts again. */
  close(file: string): Promise<void> {
    this.openFiles.delete(file);
    return this.reload(file);
  }

  /** The content of a buffer, whatever the file is (tests and tools that hold no editor). */
  setText(file: string, text: string): void {
    this.model.setFile(file, text);
  }

  /**
   * Re-reads a path from disk after a file watcher's event (a save elsewhere, a creation, a
   * deletion): a file, or every file of a folder. What the scan would not list (scan.ts decides:
   * symbolic links, ignored and skipped paths) is not read, and leaves the model if it was there.
   */
  reload(path: string): Promise<void> {
    return this.serially(() => this.reloadNow(path));
  }

  /**
   * Runs the changes of files one after the other, in the order they came: two reads of the same
   * file (a close, then a deletion) must not land in the model in the other order.
   */
  private serially(action: () => Promise<void>): Promise<void> {
    const next = this.queue.then(action);
    this.queue = next.catch(() => undefined);
    return next;
  }
  private queue: Promise<void> = Promise.resolve();

  private async reloadNow(path: string): Promise<void> {
    const present = await scanPath(this.root, path);
    const wanted = new Set(present);
    for (const held of this.filesAt(path)) {
      // A buffer open below a changed folder stays (its own deletion event removes it).
      if (!wanted.has(held) && (held === path || this.openFiles.get(held) !== true)) this.model.setFile(held, undefined);
    }
    for (const file of present) {
      // An open buffer's text counts over the disk's.
      if (this.openFiles.get(file) === true) continue;
      try {
        this.model.setFile(file, isYamlPath(file) ? await fs.readFile(toAbsolute(this.root, file), 'utf8') : null);
      } catch (error) {
        // Gone is deleted; there but unreadable is reported (io/unreadable), never dropped silently.
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOENT' || code === 'ENOTDIR') this.model.setFile(file, undefined);
        else this.model.markUnreadable(file, error);
      }
    }
  }

  /** The files of the model at `path`: the file itself, or every file below the folder. */
  private filesAt(path: string): string[] {
    const kind = this.model.kindOf(path);
    if (kind === 'file') return [path];
    if (kind === 'missing') return [];
    const out: string[] = [];
    const stack = [path];
    while (stack.length > 0) {
      const { files, folders } = this.model.children(stack.pop()!);
      out.push(...files);
      stack.push(...folders);
    }
    return out;
  }
}

function sameFindings(a: Finding[] | undefined, b: Finding[]): boolean {
  if (!a || a.length !== b.length) return false;
  return a.every((f, i) => {
    const g = b[i];
    return f === g || (f.rule === g.rule && f.message === g.message && f.severity === g.severity && JSON.stringify(f.range) === JSON.stringify(g.range));
  });
}
