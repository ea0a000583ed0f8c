// Applying fixes to text: the same edits the editor applies through a WorkspaceEdit.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { computeLineStarts, offsetAt } from './model/positions';
import { toAbsolute } from './model/paths';
import type { FileChange, Finding, Fix, TextEdit } from './rules/types';

/** Applies edits (ranges refer to the original text) from last to first. */
export function applyTextEdits(text: string, edits: readonly TextEdit[]): string {
  const lineStarts = computeLineStarts(text);
  const located = edits
    .map((e) => ({ start: offsetAt(lineStarts, text.length, e.range.start), end: offsetAt(lineStarts, text.length, e.range.end), text: e.newText }))
    .sort((a, b) => b.start - a.start || b.end - a.end);
  let result = text;
  for (const e of located) result = result.slice(0, e.start) + e.text + result.slice(e.end);
  return result;
}

/**
 * The fixes to apply unattended in one pass: one safe fix per finding, at most one fix per file,
 * and at most one exclusive fix (see Fix.exclusive).
 */
export function safeFixes(findings: readonly Finding[]): Fix[] {
  const touched = new Set<string>();
  const chosen: Fix[] = [];
  let exclusiveTaken = false;
  for (const finding of findings) {
    const fix = finding.fixes?.find((f) => f.safe && f.changes.length > 0 && !f.command);
    if (!fix) continue;
    if (fix.exclusive && exclusiveTaken) continue;
    const files = fix.changes.map((c) => c.file);
    if (files.some((f) => touched.has(f))) continue;
    files.forEach((f) => touched.add(f));
    if (fix.exclusive) exclusiveTaken = true;
    chosen.push(fix);
  }
  return chosen;
}

/** Writes a fix's changes to disk under `root`; returns the repository paths it changed. */
export async function writeFix(root: string, fix: Fix): Promise<string[]> {
  const changed: string[] = [];
  for (const change of fix.changes) {
    await writeChange(root, change);
    changed.push(change.file);
  }
  return changed;
}

async function writeChange(root: string, change: FileChange): Promise<void> {
  const absolute = toAbsolute(root, change.file);
  if (change.kind === 'delete') {
    await fs.rm(absolute, { force: true });
    return;
  }
  if (change.kind === 'create') {
    await fs.mkdir(path.dirname(absolute), { recursive: true });
    await fs.writeFile(absolute, change.text, { flag: 'wx' }).catch(async (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
    });
    return;
  }
  const text = await fs.readFile(absolute, 'utf8');
  await fs.writeFile(absolute, applyTextEdits(text, change.edits));
}
