// Findings as LSP diagnostics, and their fixes as code actions.
import {
  CodeActionKind,
  DiagnosticSeverity,
  type CodeAction,
  type Diagnostic,
  type Range as LspRange,
  type WorkspaceEdit,
  type TextDocumentEdit,
  type CreateFile,
} from 'vscode-languageserver';
import { ruleDocsUrl } from '../rules';
import type { Finding, Fix, TextEdit } from '../rules/types';
import { repoPathToUri } from '../uris';

import { APPLY_FIX_ENCRYPTED_COMMAND, FIX_ALL_KIND, SHOW_CREATED_COMMAND, SOURCE } from '../commands';
export { APPLY_FIX_ENCRYPTED_COMMAND, FIX_ALL_KIND, SHOW_CREATED_COMMAND, SOURCE };

/** The argument of APPLY_FIX_ENCRYPTED_COMMAND: the encrypted files' texts and edits, and the fix's other changes. */
export interface EncryptedFixArguments {
  title: string;
  encrypted: { uri: string; original: string; edits: TextEdit[] }[];
  edit: WorkspaceEdit;
}

const SEVERITY = { error: DiagnosticSeverity.Error, warning: DiagnosticSeverity.Warning, information: DiagnosticSeverity.Information, hint: DiagnosticSeverity.Hint } as const;

export function toDiagnostic(root: string, finding: Finding): Diagnostic {
  return {
    range: finding.range,
    severity: SEVERITY[finding.severity],
    code: finding.rule,
    codeDescription: { href: ruleDocsUrl(finding.rule) },
    source: SOURCE,
    message: finding.message,
    relatedInformation: finding.related?.map((r) => ({ location: { uri: repoPathToUri(root, r.file), range: r.range }, message: r.message })),
  };
}

function overlaps(a: LspRange, b: LspRange): boolean {
  const before = (p: LspRange['start'], q: LspRange['start']) => p.line < q.line || (p.line === q.line && p.character < q.character);
  return !before(a.end, b.start) && !before(b.end, a.start);
}

/**
 * The code actions of the findings that overlap `range`: their fixes, then what `suppress` offers
 * for each (the "Disable <rule> ..." actions of features/suppress.ts). A fix refused because it
 * edits SOPS-encrypted files is shown disabled with the reason; with `textOf` (the model's text of
 * a file), it is also offered as decrypt, edit, re-encrypt (a server command that needs the key).
 */
export function codeActionsFor(
  root: string,
  findings: readonly Finding[],
  range: LspRange,
  options: { suppress?: (finding: Finding) => Fix[]; textOf?: (file: string) => string | undefined } = {},
): CodeAction[] {
  const { suppress, textOf } = options;
  const actions: CodeAction[] = [];
  const overlapping = findings.filter((finding) => overlaps(finding.range, range));
  for (const finding of overlapping) {
    for (const fix of finding.fixes ?? []) {
      actions.push({
        title: fix.title,
        kind: CodeActionKind.QuickFix,
        diagnostics: [toDiagnostic(root, finding)],
        isPreferred: fix.preferred,
        // A refused fix (it would edit a SOPS-encrypted file) is shown with its reason, never as an edit.
        ...(fix.refused ? { disabled: { reason: fix.refused } } : fix.changes.length > 0 ? { edit: toWorkspaceEdit(root, fix) } : {}),
        // Commands take repository paths; the client resolves them against the workspace.
        ...(fix.command ? { command: { title: fix.title, command: fix.command.id, arguments: fix.command.arguments.map((a) => (typeof a === 'string' ? repoPathToUri(root, a) : a)) } } : showCreated(root, fix)),
      });
      const encrypted = fix.refused && fix.encrypted && !fix.command && textOf ? encryptedFixArguments(root, fix, textOf) : undefined;
      if (encrypted) {
        const title = `${fix.title} (decrypt, edit, re-encrypt with SOPS)`;
        actions.push({ title, kind: CodeActionKind.QuickFix, diagnostics: [toDiagnostic(root, finding)], command: { title, command: APPLY_FIX_ENCRYPTED_COMMAND, arguments: [encrypted] } });
      }
    }
  }
  // One set of suppression actions per rule, after every fix.
  const seen = new Set<string>();
  for (const finding of overlapping) {
    if (!suppress || seen.has(finding.rule)) continue;
    seen.add(finding.rule);
    for (const fix of suppress(finding)) {
      actions.push({ title: fix.title, kind: CodeActionKind.QuickFix, diagnostics: [toDiagnostic(root, finding)], edit: toWorkspaceEdit(root, fix) });
    }
  }
  return actions;
}


/** A fix that creates files opens them for review after it is applied (window/showDocument). */
function showCreated(root: string, fix: Fix): { command?: { title: string; command: string; arguments: string[] } } {
  const created = fix.changes.filter((c) => c.kind === 'create').map((c) => repoPathToUri(root, c.file));
  return created.length > 0 ? { command: { title: 'Open the created files', command: SHOW_CREATED_COMMAND, arguments: created } } : {};
}

/** The command's argument for a fix into encrypted files: only edits of files whose text is known. */
function encryptedFixArguments(root: string, fix: Fix, textOf: (file: string) => string | undefined): EncryptedFixArguments | undefined {
  const encrypted: EncryptedFixArguments['encrypted'] = [];
  for (const change of fix.changes) {
    if (!fix.encrypted!.includes(change.file)) continue;
    const original = textOf(change.file);
    if (change.kind !== 'edit' || original === undefined) return undefined;
    encrypted.push({ uri: repoPathToUri(root, change.file), original, edits: change.edits });
  }
  if (encrypted.length === 0) return undefined;
  return { title: fix.title, encrypted, edit: toWorkspaceEdit(root, { ...fix, changes: fix.changes.filter((c) => !fix.encrypted!.includes(c.file)) }) };
}

export function toWorkspaceEdit(root: string, fix: Fix): WorkspaceEdit {
  const documentChanges: (TextDocumentEdit | CreateFile)[] = [];
  for (const change of fix.changes) {
    const uri = repoPathToUri(root, change.file);
    if (change.kind === 'create') {
      documentChanges.push({ kind: 'create', uri, options: { ignoreIfExists: true } });
      documentChanges.push({ textDocument: { uri, version: null }, edits: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: change.text }] });
    } else if (change.kind === 'edit') {
      documentChanges.push({ textDocument: { uri, version: null }, edits: change.edits });
    }
  }
  return { documentChanges };
}

/**
 * Every safe fix of `file`'s findings that edits only that file, as one action: what
 * `source.fixAll.gitops-guardrails` applies on save. Edits that overlap or share a position with
 * one already taken wait for the next save (they were computed against the same text), and at most
 * one fix that adds an ordering edge is taken, as `check --fix` does in a pass.
 */
export function fixAllAction(root: string, file: string, findings: readonly Finding[], version: number | null = null): CodeAction | undefined {
  const taken: TextEdit[] = [];
  let exclusiveTaken = false;
  const startsBefore = (a: LspRange['start'], b: LspRange['start']) => a.line < b.line || (a.line === b.line && a.character < b.character);
  const clash = (a: LspRange, b: LspRange) => !startsBefore(a.end, b.start) && !startsBefore(b.end, a.start);
  for (const finding of findings) {
    const fix = finding.fixes?.find((f) => f.safe && !f.refused && !f.command && f.changes.length > 0);
    if (!fix || fix.changes.some((c) => c.kind !== 'edit' || c.file !== file)) continue;
    if (fix.exclusive && exclusiveTaken) continue;
    const edits = fix.changes.flatMap((c) => (c.kind === 'edit' ? c.edits : []));
    if (edits.some((e) => taken.some((t) => clash(e.range, t.range)))) continue;
    taken.push(...edits);
    if (fix.exclusive) exclusiveTaken = true;
  }
  if (taken.length === 0) return undefined;
  return {
    title: 'Fix all safe GitOps Guardrails problems',
    kind: FIX_ALL_KIND,
    edit: { documentChanges: [{ textDocument: { uri: repoPathToUri(root, file), version }, edits: taken }] },
  };
}
