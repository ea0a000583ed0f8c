// Opening a protocol location (a document URI and an LSP range) in an editor.
import * as vscode from 'vscode';
import type { Location } from '../../server/src/protocol';

export function rangeOf(location: Location): vscode.Range {
  const { start, end } = location.range;
  return new vscode.Range(start.line, start.character, end.line, end.character);
}

export async function openLocation(location: Location, viewColumn?: vscode.ViewColumn): Promise<void> {
  const start = rangeOf(location).start;
  // The cursor goes to the start, not a selection of the whole manifest.
  await vscode.window.showTextDocument(vscode.Uri.parse(location.uri), { selection: new vscode.Range(start, start), preview: true, viewColumn });
}
