// The lightbulb's "Disable <rule> ..." actions: a suppression comment for the finding's line or
// file (the comments check.ts reads), or the rule turned off in .gitops-guardrails.yaml.
import { isMap, isScalar, visit, type Node } from 'yaml';
import { CONFIG_FILE } from '../model/config';
import type { RepoModel } from '../model/model';
import { nodeAt, nodeOffsets, pairAt, positionAt } from '../model/positions';
import type { Resource, YamlFile } from '../model/types';
import { appendToMap, insertIntoMap } from '../rules/edits';
import type { Finding, Fix } from '../rules/types';

const NEXT_LINE = /^(\s*)#\s*gitops-guardrails-disable-next-line\b([^\n#]*)$/;
const FILE = /^#\s*gitops-guardrails-disable-file\b([^\n#]*)$/;

/** The suppression fixes of a finding, in the order the lightbulb lists them. */
export function suppressionFixes(model: RepoModel, finding: Finding): Fix[] {
  const fixes: Fix[] = [];
  const file = model.file(finding.file);
  // A comment added to a SOPS file is not covered by its MAC handling here: never edit one.
  if (file && !file.sopsEncrypted) {
    const line = disableForLine(file, finding);
    if (line) fixes.push(line);
    fixes.push(disableForFile(file, finding.rule));
  }
  const config = disableInConfig(model, finding.rule);
  if (config) fixes.push(config);
  return fixes;
}

function disableForLine(file: YamlFile, finding: Finding): Fix | undefined {
  const line = finding.range.start.line;
  if (line >= file.lineStarts.length || insideMultiLineScalar(file, line)) return undefined;
  const title = `Disable ${finding.rule} for this line`;
  const previous = line > 0 ? lineText(file, line - 1) : undefined;
  const existing = previous === undefined ? null : NEXT_LINE.exec(previous);
  if (existing) {
    const ids = existing[2].split(/[\s,]+/).filter(Boolean);
    // No ids suppresses every rule: the finding would not be here.
    if (ids.length === 0 || ids.includes(finding.rule)) return undefined;
    const newText = `${existing[1]}# gitops-guardrails-disable-next-line ${[...ids, finding.rule].join(', ')}`;
    return edit(title, file.path, { line: line - 1, character: 0 }, { line: line - 1, character: previous!.length }, newText);
  }
  const indent = /^\s*/.exec(lineText(file, line))![0];
  const at = { line, character: 0 };
  return edit(title, file.path, at, at, `${indent}# gitops-guardrails-disable-next-line ${finding.rule}\n`);
}

function disableForFile(file: YamlFile, rule: string): Fix {
  const title = `Disable ${rule} for this file`;
  for (let line = 0; line < file.lineStarts.length; line++) {
    const text = lineText(file, line);
    const existing = FILE.exec(text);
    if (existing) {
      const ids = existing[1].split(/[\s,]+/).filter(Boolean);
      const newText = `# gitops-guardrails-disable-file ${[...ids, rule].join(', ')}`;
      return edit(title, file.path, { line, character: 0 }, { line, character: text.length }, newText);
    }
    if (!text.startsWith('#')) break;
  }
  const start = { line: 0, character: 0 };
  return edit(title, file.path, start, start, `# gitops-guardrails-disable-file ${rule}\n`);
}

function disableInConfig(model: RepoModel, rule: string): Fix | undefined {
  const title = `Disable ${rule} in ${CONFIG_FILE}`;
  const file = model.file(CONFIG_FILE);
  if (!file || file.text.trim() === '') {
    return { title, safe: false, changes: [file ? { kind: 'edit', file: CONFIG_FILE, edits: [{ range: wholeText(file), newText: `rules:\n  ${rule}: off\n` }] } : { kind: 'create', file: CONFIG_FILE, text: `rules:\n  ${rule}: off\n` }] };
  }
  const doc = file.documents[0];
  if (!doc || file.syntaxErrors.length > 0 || !isMap(doc.contents) || doc.contents.flow) return undefined;
  // The edit helpers address a document by file and index, as they do a resource's.
  const config = { file: CONFIG_FILE, index: 0 } as Resource;
  const rules = nodeAt(doc, ['rules']);
  if (isMap(rules) && !rules.flow && rules.items.length > 0) {
    const pair = pairAt(doc, ['rules', rule]);
    const value = pair?.value as Node | null | undefined;
    if (pair && value && isScalar(value)) {
      if (value.value === 'off') return undefined;
      const [start, end] = nodeOffsets(value) ?? [0, 0];
      return { title, safe: false, changes: [{ kind: 'edit', file: CONFIG_FILE, edits: [{ range: { start: positionAt(file.lineStarts, start), end: positionAt(file.lineStarts, end) }, newText: 'off' }] }] };
    }
    if (pair) return undefined;
    const change = appendToMap(model, config, ['rules'], `${rule}: off`);
    return change && { title, safe: false, changes: [change] };
  }
  const change = pairAt(doc, ['rules']) ? insertIntoMap(model, config, [], 'rules', `${rule}: off`) : appendToMap(model, config, [], `rules:\n  ${rule}: off`);
  return change && { title, safe: false, changes: [change] };
}

/** A comment line inserted here would become part of a block or multi-line scalar. */
function insideMultiLineScalar(file: YamlFile, line: number): boolean {
  const offset = file.lineStarts[line];
  let inside = false;
  for (const doc of file.documents) {
    if (!doc.range || offset < doc.range[0] || offset > doc.range[2]) continue;
    visit(doc, {
      Scalar(_, node) {
        if (!node.range || offset <= node.range[0] || offset >= node.range[1]) return undefined;
        const first = positionAt(file.lineStarts, node.range[0]).line;
        if (line > first) {
          inside = true;
          return visit.BREAK;
        }
        return undefined;
      },
    });
  }
  return inside;
}

function lineText(file: YamlFile, line: number): string {
  const start = file.lineStarts[line];
  const end = line + 1 < file.lineStarts.length ? file.lineStarts[line + 1] - 1 : file.text.length;
  return file.text.slice(start, end).replace(/\r$/, '');
}

function wholeText(file: YamlFile): { start: { line: number; character: number }; end: { line: number; character: number } } {
  return { start: { line: 0, character: 0 }, end: positionAt(file.lineStarts, file.text.length) };
}

function edit(title: string, path: string, start: { line: number; character: number }, end: { line: number; character: number }, newText: string): Fix {
  return { title, safe: false, changes: [{ kind: 'edit', file: path, edits: [{ range: { start, end }, newText }] }] };
}
