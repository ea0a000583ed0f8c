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
import type { Finding, Fix } from '../rules/types';
import { repoPathToUri } from '../uris';

export const SOURCE = 'gitops-guardrails';

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

export function codeActionsFor(root: string, findings: readonly Finding[], range: LspRange): CodeAction[] {
  const actions: CodeAction[] = [];
  for (const finding of findings) {
    if (!overlaps(finding.range, range)) continue;
    for (const fix of finding.fixes ?? []) {
      actions.push({
        title: fix.title,
        kind: CodeActionKind.QuickFix,
        diagnostics: [toDiagnostic(root, finding)],
        isPreferred: fix.preferred,
        // A refused fix (it would edit a SOPS-encrypted file) is shown with its reason, never as an edit.
        ...(fix.refused ? { disabled: { reason: fix.refused } } : fix.changes.length > 0 ? { edit: toWorkspaceEdit(root, fix) } : {}),
        // Commands take repository paths; the client resolves them against the workspace.
        ...(fix.command ? { command: { title: fix.title, command: fix.command.id, arguments: fix.command.arguments.map((a) => (typeof a === 'string' ? repoPathToUri(root, a) : a)) } } : {}),
      });
    }
  }
  return actions;
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
