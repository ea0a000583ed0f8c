/** One parsed file in either store: its documents and its `sops` block, and the way back to text. */
import { SopsError } from './errors';
import type { SopsFormat } from './format';
import { emitJson, parseJson } from './jsonStore';
import type { SopsMapping, SopsNode } from './tree';
import { emitYaml } from './yamlEmit';
import { parseYaml } from './yamlParse';

export interface ParsedFile {
  format: SopsFormat;
  branches: SopsMapping[];
  metadata?: SopsNode;
}

export function parseFile(text: string, format: SopsFormat, file: string): ParsedFile {
  if (format === 'json') {
    const { branch, metadata } = parseJson(text, file);
    return { format, branches: [branch], metadata };
  }
  const { branches, metadata } = parseYaml(text, file);
  return { format, branches: branches.length ? branches : [{ kind: 'map', items: [] }], metadata };
}

export function emitFile(format: SopsFormat, branches: SopsMapping[], metadata?: SopsMapping): string {
  if (format === 'json') {
    if (branches.length !== 1) throw new SopsError('BAD_FORMAT', 'a JSON file holds exactly one document');
    return emitJson(branches[0], metadata);
  }
  return emitYaml(branches, metadata);
}
