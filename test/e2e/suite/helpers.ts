// Helpers for tests that run inside the extension host against examples/layered-repo.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

export { E2E_ENV } from './setup-env';

export const EXTENSION_ID = 'gitops-guardrails.gitops-guardrails';
export const DIAGNOSTIC_SOURCE = 'gitops-guardrails';

export function workspaceRoot(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the workbench was opened without a folder');
  return folder.uri;
}

/** A file of the workspace by its path relative to the workspace root, with `/` separators. */
export function workspaceFile(relativePath: string): vscode.Uri {
  return vscode.Uri.joinPath(workspaceRoot(), ...relativePath.split('/'));
}

export function relativePath(uri: vscode.Uri): string {
  return vscode.workspace.asRelativePath(uri, false);
}

/** Our extension, activated; activation is awaited, not assumed. */
export async function activateExtension(): Promise<vscode.Extension<unknown>> {
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(extension, `extension ${EXTENSION_ID} is not installed; installed: ${vscode.extensions.all.map((e) => e.id).filter((id) => !id.startsWith('vscode.')).join(', ')}`);
  await extension.activate();
  assert.ok(extension.isActive, `${EXTENSION_ID} did not activate`);
  return extension;
}

/** Diagnostics this extension reports for one file. */
export function diagnosticsOf(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === DIAGNOSTIC_SOURCE);
}

/** Every file with diagnostics from this extension, with those diagnostics. */
export function allDiagnostics(): [vscode.Uri, vscode.Diagnostic[]][] {
  return vscode.languages.getDiagnostics()
    .map(([uri, diagnostics]): [vscode.Uri, vscode.Diagnostic[]] => [uri, diagnostics.filter((d) => d.source === DIAGNOSTIC_SOURCE)])
    .filter(([, diagnostics]) => diagnostics.length > 0);
}

/** The rule id of a diagnostic (its `code`, which may carry a link to the rule's docs). */
export function ruleOf(diagnostic: vscode.Diagnostic): string {
  const code = diagnostic.code;
  return typeof code === 'object' && code !== null ? String(code.value) : String(code ?? '');
}

export async function poll<T>(what: string, timeoutMs: number, probe: () => T | undefined | Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Waits until a file's diagnostics from this extension satisfy `accept` (by default: there are some). */
export function waitForDiagnostics(
  uri: vscode.Uri,
  accept: (diagnostics: vscode.Diagnostic[]) => boolean = (diagnostics) => diagnostics.length > 0,
  timeoutMs = 30_000,
): Promise<vscode.Diagnostic[]> {
  return poll(`diagnostics of ${relativePath(uri)}`, timeoutMs, () => {
    const diagnostics = diagnosticsOf(uri);
    return accept(diagnostics) ? diagnostics : undefined;
  });
}

/** Waits until some file has a diagnostic from this extension that satisfies `accept`. */
export function waitForAnyDiagnostic(
  accept: (uri: vscode.Uri, diagnostic: vscode.Diagnostic) => boolean = () => true,
  timeoutMs = 30_000,
): Promise<[vscode.Uri, vscode.Diagnostic]> {
  return poll('a diagnostic from gitops-guardrails', timeoutMs, () => {
    for (const [uri, diagnostics] of allDiagnostics()) {
      const match = diagnostics.find((diagnostic) => accept(uri, diagnostic));
      if (match) return [uri, match] as [vscode.Uri, vscode.Diagnostic];
    }
    return undefined;
  });
}

export function isOpen(uri: vscode.Uri): boolean {
  return vscode.workspace.textDocuments.some((document) => document.uri.toString() === uri.toString());
}

/**
 * Throws away unsaved edits of a file (e.g. from applyCodeAction) and closes it, so that the
 * next test sees the file as it is on disk. Tests never save: the example stays untouched.
 */
export async function revertFile(uri: vscode.Uri): Promise<void> {
  await vscode.window.showTextDocument(uri, { preview: false });
  await vscode.commands.executeCommand('workbench.action.files.revert');
  await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
}

/** The code actions VS Code offers at a range, as a person would see them in the light bulb. */
export async function codeActionsAt(uri: vscode.Uri, range: vscode.Range, kind?: vscode.CodeActionKind): Promise<vscode.CodeAction[]> {
  // The provider runs on the workbench's model of the file, which exists only once it is opened.
  await vscode.workspace.openTextDocument(uri);
  const actions = await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>(
    'vscode.executeCodeActionProvider', uri, range, kind?.value);
  return (actions ?? []).filter((action): action is vscode.CodeAction => !isCommand(action));
}

function isCommand(action: vscode.CodeAction | vscode.Command): action is vscode.Command {
  return typeof (action as vscode.Command).command === 'string';
}

/**
 * Applies the code action whose title matches, offered for a diagnostic (or at a range): its edit
 * through the workspace, then its command. Returns the action that was applied.
 */
export async function applyCodeAction(uri: vscode.Uri, at: vscode.Diagnostic | vscode.Range, title: string | RegExp): Promise<vscode.CodeAction> {
  const range = at instanceof vscode.Range ? at : at.range;
  const actions = await codeActionsAt(uri, range);
  const matches = (candidate: string) => (typeof title === 'string' ? candidate === title : title.test(candidate));
  const action = actions.find((candidate) => matches(candidate.title));
  assert.ok(action, `no code action ${String(title)} at ${relativePath(uri)}:${range.start.line + 1}; offered: ${actions.map((a) => a.title).join(' | ') || 'none'}`);
  if (action.edit) assert.ok(await vscode.workspace.applyEdit(action.edit), `the edit of "${action.title}" was not applied`);
  if (action.command) await vscode.commands.executeCommand(action.command.command, ...(action.command.arguments ?? []));
  return action;
}

const SEVERITY_NAMES: Record<vscode.DiagnosticSeverity, string> = {
  [vscode.DiagnosticSeverity.Error]: 'error',
  [vscode.DiagnosticSeverity.Warning]: 'warning',
  [vscode.DiagnosticSeverity.Information]: 'info',
  [vscode.DiagnosticSeverity.Hint]: 'hint',
};

/**
 * A diagnostic as one line, in the CLI's terms (file relative to the workspace, 1-based range),
 * the same format as `formatFinding` in runner/findings.ts.
 */
export function formatDiagnostic(uri: vscode.Uri, d: vscode.Diagnostic): string {
  const { start, end } = d.range;
  return `${relativePath(uri)}:${start.line + 1}:${start.character + 1}-${end.line + 1}:${end.character + 1} ${SEVERITY_NAMES[d.severity]} ${ruleOf(d)}`;
}
