// One checked workspace: the model, the latest findings by file, and what changed since the last
// publication. The language server drives it; it knows nothing of the LSP wire format.
import { promises as fs } from 'node:fs';
import { runChecks, type CheckOptions } from './check';
import { RepoModel } from './model/model';
import { toAbsolute } from './model/paths';
import { isYamlPath } from './model/parse';
import { RULE_IDS } from './rules';
import type { Finding } from './rules/types';

export class CheckSession {
  private findingsByFile = new Map<string, Finding[]>();

  private constructor(
    readonly model: RepoModel,
    private options: CheckOptions,
  ) {}

  /** Severities from the editor's settings changed: the next recheck uses them. */
  setSeverities(severities: CheckOptions['severities']): void {
    this.options = { ...this.options, severities };
  }

  static async open(root: string, options: CheckOptions = {}, onProgress?: (done: number, total: number) => void): Promise<CheckSession> {
    return new CheckSession(await RepoModel.load(root, RULE_IDS, onProgress), options);
  }

  get root(): string {
    return this.model.root;
  }

  findings(file: string): readonly Finding[] {
    return this.findingsByFile.get(file) ?? [];
  }

  /** Runs every rule; returns the files whose findings must be (re)published, emptied ones included. */
  recheck(): Map<string, Finding[]> {
    const next = new Map<string, Finding[]>();
    for (const finding of runChecks(this.model, this.options)) {
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

  /** The content of an open editor buffer. */
  setText(file: string, text: string): void {
    this.model.setFile(file, text);
  }

  /** Re-reads a file from disk (after a save elsewhere, a close, a creation or a deletion). */
  async reload(file: string): Promise<void> {
    try {
      const absolute = toAbsolute(this.root, file);
      const stat = await fs.stat(absolute);
      if (!stat.isFile()) {
        this.model.setFile(file, undefined);
        return;
      }
      this.model.setFile(file, isYamlPath(file) ? await fs.readFile(absolute, 'utf8') : null);
    } catch (error) {
      // Gone is deleted; there but unreadable is reported (io/unreadable), never dropped silently.
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') this.model.setFile(file, undefined);
      else this.model.markUnreadable(file, error);
    }
  }
}

function sameFindings(a: Finding[] | undefined, b: Finding[]): boolean {
  if (!a || a.length !== b.length) return false;
  return a.every((f, i) => {
    const g = b[i];
    return f === g || (f.rule === g.rule && f.message === g.message && f.severity === g.severity && JSON.stringify(f.range) === JSON.stringify(g.range));
  });
}
