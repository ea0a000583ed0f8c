import type { RepoModel } from '../model/model';
import type { NodePath, YamlFile } from '../model/types';
import { findUnencryptedValues } from '../sops/inspect';
import { fileRule, type Rule, type RuleFinding } from './types';

export const REENCRYPT_COMMAND = 'gitopsGuardrails.sops.reencrypt';

export const secretsPartiallyEncrypted: Rule = fileRule(
  {
    id: 'secrets/partially-encrypted',
    defaultSeverity: 'error',
    description: 'A SOPS file with a value in an encrypted position that is not ENC[...].',
    help:
      'Someone edited an encrypted file by hand: the value is in clear in the repository, and sops refuses to decrypt the file (the MAC no longer matches). Re-encrypt it through the editor command, which keeps the other values\' ciphertext. The finding names the key path, never the value.',
    fix: 'Re-encrypt.',
  },
  // One file at a time, so the engine reuses the findings of unchanged files; and the SOPS parse
  // behind them is a query of the file alone, so a rebuilt graph (which makes the engine ask every
  // file again) does not parse every encrypted file again.
  (model, file) => (file.sopsEncrypted ? model.queries.get('secrets/partially-encrypted file', file, [], () => findingsOf(model, file)) : NONE),
);

/** No findings (one frozen array: nothing appends to a rule's findings). */
const NONE = Object.freeze([]) as unknown as RuleFinding[];

/** The values in clear in a SOPS file's encrypted positions, one finding per place they are written. */
function findingsOf(model: RepoModel, file: YamlFile): RuleFinding[] {
  const findings: RuleFinding[] = [];
  let paths: string[];
  try {
    paths = findUnencryptedValues(file.text, { filePath: file.path });
  } catch {
    return findings;
  }
  // Values reached through YAML aliases share the place they are written: one finding per
  // place, so the findings are bounded by the text, not by what the aliases expand to.
  const byPlace = new Map<string, { range: RuleFinding['range']; displays: string[] }>();
  for (const display of paths) {
    const { document, path } = parseDisplayPath(display);
    const resource = file.resources.find((r) => r.index === document);
    const range = resource ? model.rangeOf(resource, path) : wholeDocument(file, document);
    const key = `${range.start.line}:${range.start.character}-${range.end.line}:${range.end.character}`;
    const place = byPlace.get(key);
    if (place) place.displays.push(display);
    else byPlace.set(key, { range, displays: [display] });
  }
  for (const { range, displays } of byPlace.values()) {
    const first = displays[0].replace(/^\[document \d+\] /, '');
    const more = displays.length > 1 ? ` (and ${displays.length - 1} more value${displays.length === 2 ? '' : 's'} written here)` : '';
    findings.push({
      file: file.path,
      range,
      message: `${first}${more} is in clear in an encrypted position of this SOPS file; sops will refuse to decrypt it. Re-encrypt the file.`,
      fixes: [{ title: 'Re-encrypt with SOPS', changes: [], command: { id: REENCRYPT_COMMAND, arguments: [file.path] }, safe: false, preferred: true }],
    });
  }
  return findings;
}

/** `[document 2] spec.items[0].password` → document index 1 and its node path. */
export function parseDisplayPath(display: string): { document: number; path: NodePath } {
  const match = /^\[document (\d+)\] (.*)$/.exec(display);
  const document = match ? Number(match[1]) - 1 : 0;
  const rest = match ? match[2] : display;
  const path: (string | number)[] = [];
  for (const part of rest.match(/[^.[\]]+|\[\d+\]/g) ?? []) path.push(/^\[\d+\]$/.test(part) ? Number(part.slice(1, -1)) : part);
  return { document, path };
}

function wholeDocument(file: YamlFile, document: number) {
  const start = file.documents[document]?.range?.[0] ?? 0;
  const line = file.lineStarts.findIndex((s, i) => s <= start && (file.lineStarts[i + 1] ?? Infinity) > start);
  return { start: { line: Math.max(0, line), character: 0 }, end: { line: Math.max(0, line), character: 0 } };
}

