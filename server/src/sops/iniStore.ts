/**
 * Reading sops INI files (the value and MAC layer only: encryption and editing of INI files
 * stay with the sops binary). Mirrors sops' INI store on top of go-ini: every section is a
 * mapping of string values, the implicit DEFAULT section comes first, a section's leading
 * comment is its first item, a key's comment follows the key, and the `[sops]` section holds
 * the metadata flattened as `age__list_0__map_recipient`.
 */
import { SopsError } from './errors';
import type { SopsMapping, SopsNode, SopsPair } from './tree';

export interface ParsedIni {
  branch: SopsMapping;
  metadata?: SopsNode;
}

/** go-ini keeps the comment character; sops strips the leading run of it and spaces. */
const comment = (lines: string) => ({ kind: 'comment' as const, text: lines.startsWith(';') ? lines.replace(/^[; ]+/, '') : lines.replace(/^[# ]+/, '') });

/** go-ini strips one pair of surrounding quotes from a value. */
function unquote(value: string): string {
  const m = /^(["'`])(.*)\1$/s.exec(value);
  return m ? m[2] : value;
}

export function parseIni(text: string, file: string): ParsedIni {
  const sections: Array<{ name: string; map: SopsMapping }> = [{ name: 'DEFAULT', map: { kind: 'map', items: [] } }];
  let current = sections[0];
  let pending: string[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === '') return;
    if (line.startsWith(';') || line.startsWith('#')) {
      pending.push(line);
      return;
    }
    const header = /^\[(.+)\]$/.exec(line);
    if (header) {
      current = { name: header[1].trim(), map: { kind: 'map', items: [] } };
      sections.push(current);
      if (pending.length) current.map.items.push(comment(pending.join('\n')));
      pending = [];
      return;
    }
    const eq = line.search(/[=:]/);
    if (eq <= 0) throw new SopsError('BAD_FORMAT', `${file}: invalid INI at line ${index + 1}`);
    const key = line.slice(0, eq).trim();
    current.map.items.push({ kind: 'pair', key, value: { kind: 'str', value: unquote(line.slice(eq + 1).trim()) } });
    if (pending.length) current.map.items.push(comment(pending.join('\n')));
    pending = [];
  });
  const sopsSection = sections.find((s) => s.name === 'sops');
  const branch: SopsMapping = {
    kind: 'map',
    items: sections.filter((s) => s !== sopsSection).map((s): SopsPair => ({ kind: 'pair', key: s.name, value: s.map })),
  };
  return { branch, metadata: sopsSection ? unflatten(sopsSection.map) : undefined };
}

/** Rebuilds the nested metadata from `a__list_0__map_b` keys, decoding `\n` escapes and non-strings. */
function unflatten(flat: SopsMapping): SopsMapping {
  const root: Record<string, unknown> = {};
  for (const item of flat.items) {
    if (item.kind !== 'pair' || item.value.kind !== 'str') continue;
    const value = item.value.value.replace(/\\n/g, '\n');
    const path = item.key.split('__');
    let node: Record<string, unknown> | unknown[] = root;
    path.forEach((segment, i) => {
      const key = segment.replace(/^(list|map)_/, '');
      const last = i === path.length - 1;
      const nextIsList = !last && path[i + 1].startsWith('list_');
      const container = node as Record<string, unknown>;
      if (last) container[key] = value;
      else node = (container[key] ??= nextIsList ? [] : {}) as Record<string, unknown>;
    });
  }
  return toNode(root) as SopsMapping;
}

function toNode(value: unknown, key = ''): SopsNode {
  if (Array.isArray(value)) return { kind: 'seq', items: value.map((v) => toNode(v)) };
  if (value && typeof value === 'object') {
    return { kind: 'map', items: Object.entries(value).map(([k, v]): SopsPair => ({ kind: 'pair', key: k, value: toNode(v, k) })) };
  }
  const text = String(value);
  if (key === 'mac_only_encrypted') return { kind: 'bool', value: text === 'true' };
  if (key === 'shamir_threshold' && /^\d+$/.test(text)) return { kind: 'int', value: BigInt(text) };
  return { kind: 'str', value: text };
}

/** Plain INI text: `[section]`, `key = value`, `; comment`, the DEFAULT section left out when empty. */
export function emitIni(branch: SopsMapping): string {
  const out: string[] = [];
  for (const section of branch.items) {
    if (section.kind !== 'pair' || section.value.kind !== 'map') continue;
    const items = section.value.items;
    if (section.key === 'DEFAULT' && items.length === 0) continue;
    const lead = items[0]?.kind === 'comment' ? items[0] : undefined;
    if (lead) out.push(...lead.text.split('\n').map((t) => `; ${t}`));
    out.push(`[${section.key}]`);
    const body = lead ? items.slice(1) : items;
    body.forEach((item, i) => {
      if (item.kind !== 'pair' || item.value.kind !== 'str') return;
      // sops stores a key's comment after the key; go-ini writes it above the key.
      const next = body[i + 1];
      if (next?.kind === 'comment') out.push(...next.text.split('\n').map((t) => `; ${t}`));
      out.push(`${item.key} = ${item.value.value}`);
    });
    out.push('');
  }
  return out.join('\n');
}
