// Applying fixes to text: the same edits the editor applies through a WorkspaceEdit.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { computeLineStarts, offsetAt } from './model/positions';
import { toAbsolute } from './model/paths';
import type { Finding, Fix, TextEdit } from './rules/types';
import { writeFileAtomic } from './writes';

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
 * and at most one exclusive fix (see Fix.exclusive). A refused fix is never chosen.
 */
export function safeFixes(findings: readonly Finding[]): Fix[] {
  const touched = new Set<string>();
  const chosen: Fix[] = [];
  let exclusiveTaken = false;
  for (const finding of findings) {
    const fix = finding.fixes?.find((f) => f.safe && !f.refused && f.changes.length > 0 && !f.command);
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

/**
 * The fixes as the engine hands them out: a fix that would edit or delete a SOPS-encrypted file is
 * refused (an edit breaks the file's MAC: neither Flux nor sops could decrypt it again).
 */
export function refuseEncryptedEdits(fixes: Fix[], isEncrypted: (file: string) => boolean): Fix[] {
  let refused: Fix[] | undefined;
  fixes.forEach((fix, i) => {
    const encrypted = [...new Set(fix.changes.filter((c) => c.kind !== 'create' && isEncrypted(c.file)).map((c) => c.file))];
    if (encrypted.length === 0) return;
    refused ??= [...fixes];
    refused[i] = {
      ...fix,
      encrypted,
      refused: `${encrypted.join(', ')} ${encrypted.length === 1 ? 'is' : 'are'} SOPS-encrypted: an edit would break the MAC, so it is not applied as plain text; use Edit Decrypted (SOPS) and make the change there`,
    };
  });
  return refused ?? fixes;
}

/** What writing a fix did: the repository paths it changed, or why it was skipped (nothing written). */
export interface FixOutcome {
  changed: string[];
  skipped?: string;
}

/**
 * Writes a fix's changes under `root`, each file atomically. Every file is read again first: when
 * one differs from `expected` (the text the fix was computed from), the whole fix is skipped; a
 * change whose result is already there writes nothing (a fix applied twice changes nothing more).
 */
export async function writeFix(root: string, fix: Fix, expected: (file: string) => string | undefined = () => undefined): Promise<FixOutcome> {
  if (fix.refused) return { changed: [], skipped: fix.refused };
  const writes: { file: string; absolute: string; text: string | undefined; create: boolean }[] = [];
  for (const change of fix.changes) {
    const absolute = toAbsolute(root, change.file);
    const current = await readIfExists(absolute);
    if (change.kind === 'create') {
      if (current === change.text) continue;
      if (current !== undefined) return { changed: [], skipped: `${change.file} exists already` };
      writes.push({ file: change.file, absolute, text: change.text, create: true });
      continue;
    }
    const before = expected(change.file);
    if (before !== undefined && current !== before) return { changed: [], skipped: `${change.file} changed since the check` };
    if (change.kind === 'delete') {
      if (current !== undefined) writes.push({ file: change.file, absolute, text: undefined, create: false });
      continue;
    }
    if (current === undefined) return { changed: [], skipped: `${change.file} does not exist any more` };
    const text = applyTextEdits(current, change.edits);
    if (text !== current) writes.push({ file: change.file, absolute, text, create: false });
  }
  const changed: string[] = [];
  for (const write of writes) {
    if (write.text === undefined) await fs.rm(write.absolute, { force: true });
    else if (write.create) {
      await fs.mkdir(path.dirname(write.absolute), { recursive: true });
      if (!(await writeFileAtomic(write.absolute, write.text, { createOnly: true }))) continue;
    } else await writeFileAtomic(write.absolute, write.text);
    changed.push(write.file);
  }
  return { changed };
}

async function readIfExists(absolute: string): Promise<string | undefined> {
  return fs.readFile(absolute, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return undefined;
    throw error;
  });
}
