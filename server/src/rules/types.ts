// What a rule is and what it reports. A finding carries its fixes, so the LSP code actions and
// `check --fix` share one code path.
import type { Range, YamlFile } from '../model/types';
import type { RepoModel } from '../model/model';

export type Severity = 'error' | 'warning' | 'information' | 'hint';

export interface RelatedLocation {
  file: string;
  range: Range;
  message: string;
}

/** A text edit in one file; offsets are not used so that edits survive re-serialisation. */
export interface TextEdit {
  range: Range;
  newText: string;
}

export type FileChange =
  | { kind: 'edit'; file: string; edits: TextEdit[] }
  | { kind: 'create'; file: string; text: string }
  | { kind: 'delete'; file: string };

export interface Fix {
  title: string;
  changes: FileChange[];
  /** An editor command to run instead of (or after) the changes, e.g. encrypting with SOPS. */
  command?: { id: string; arguments: unknown[] };
  /** Safe to apply unattended (`check --fix`). */
  safe: boolean;
  /** The preferred fix for its finding (quick fix shortcut). */
  preferred?: boolean;
  /**
   * The fix changes what other fixes would propose (it adds an ordering edge): unattended, it is
   * applied alone and the repository re-checked before the next one, so two fixes never combine
   * into a cycle.
   */
  exclusive?: boolean;
  /**
   * Why the fix must not be applied as plain edits (set by the engine, e.g. it edits a SOPS-encrypted
   * file, whose MAC the edit would break): `--fix` skips it with this reason, the editor shows it disabled.
   */
  refused?: string;
  /** The SOPS-encrypted files a refused fix would edit: the editor offers it as decrypt, edit, re-encrypt. */
  encrypted?: string[];
}

export interface Finding {
  rule: string;
  severity: Severity;
  message: string;
  file: string;
  range: Range;
  related?: RelatedLocation[];
  fixes?: Fix[];
}

/** A finding before the engine fills in the rule id and configured severity. */
export type RuleFinding = Omit<Finding, 'rule' | 'severity'> & { severity?: Severity };

export interface RuleMeta {
  /** Stable id, e.g. `flux/path-not-found`. */
  id: string;
  defaultSeverity: Severity;
  /** One sentence: what it flags. */
  description: string;
  /** A paragraph of help (README and SARIF). */
  help: string;
  /** What the quick fix does, or '—'. */
  fix: string;
}

export interface Rule extends RuleMeta {
  /**
   * What the findings depend on, so the engine can reuse them between checks:
   * 'structure' — only the derived graph (reused until it is rebuilt, and while the files the
   * findings point into are unchanged); 'file' — one file at a time (checkFile, reused per
   * parsed file). Without a scope the rule runs on every check.
   */
  scope?: 'structure' | 'file';
  check(model: RepoModel): RuleFinding[];
  /** For scope 'file': the findings of one file. */
  checkFile?(model: RepoModel, file: YamlFile): RuleFinding[];
}

/** A rule whose findings in a file depend only on that file (and the derived graph). */
export function fileRule(meta: RuleMeta, checkFile: (model: RepoModel, file: YamlFile) => RuleFinding[]): Rule {
  return {
    ...meta,
    scope: 'file',
    checkFile,
    check: (model) => [...model.files.values()].flatMap((file) => checkFile(model, file)),
  };
}
