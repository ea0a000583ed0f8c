/**
 * Reading a sops file without keys: is it encrypted, who can open it, which values are
 * selected for encryption, and which of those are not `ENC[…]` (hand-edited plaintext).
 */
import { findUnencryptedValues as findInTree } from './codec';
import { parseFile } from './document';
import { SopsError } from './errors';
import { type AnyFormat, resolveFormat, sniffFormat } from './format';
import { plainOf, readMetadata, type SopsMetadata } from './metadata';
import type { Selection } from './selection';

export interface SopsFileInfo {
  format: 'yaml' | 'json';
  recipients: {
    age: string[];
    pgp: string[];
    /** Other master keys, by type (kms ARNs, GCP resource ids, Azure vault URLs, Vault URIs). */
    other: Record<string, string[]>;
  };
  keyGroupCount: number;
  shamirThreshold?: number;
  lastModified: string;
  version: string;
  selection: Selection;
  macOnlyEncrypted: boolean;
  hasMac: boolean;
  documentCount: number;
}

function quickLooksEncrypted(text: string): boolean {
  return /(^|\n)sops:|"sops"\s*:/.test(text);
}

function loadMetadata(text: string, options: { format?: AnyFormat; filePath?: string }) {
  const file = options.filePath ?? '<buffer>';
  const resolved = resolveFormat(text, options.filePath, options.format);
  // The binary store is JSON on disk, so its metadata can be read like a JSON file's.
  const format = resolved === 'binary' && sniffFormat(text) === 'json' ? 'json' : resolved;
  if (format !== 'yaml' && format !== 'json') throw new SopsError('UNSUPPORTED', `${file}: only YAML and JSON sops files can be inspected`);
  const parsed = parseFile(text, format, file);
  return { parsed, format, meta: parsed.metadata ? readMetadata(parsed.metadata, file) : undefined };
}

/** As `sops filestatus`: a top-level `sops` key with a non-empty `version` and `mac`. Never throws. */
export function isSopsEncrypted(text: string, options: { format?: AnyFormat; filePath?: string } = {}): boolean {
  if (!quickLooksEncrypted(text)) return false;
  try {
    const { meta } = loadMetadata(text, options);
    return !!meta && meta.version !== '' && meta.mac !== undefined;
  } catch {
    return false;
  }
}

function describeEntries(meta: SopsMetadata): Record<string, string[]> {
  const idOf = (entry: Record<string, unknown>) =>
    String(entry.fp ?? entry.arn ?? entry.resource_id ?? (entry.vault_url ? `${entry.vault_url}/${entry.name ?? ''}` : undefined) ?? (entry.vault_address ? `${entry.vault_address}/v1/${entry.engine_path}/keys/${entry.key_name}` : '?'));
  const out: Record<string, string[]> = {};
  for (const [type, node] of Object.entries(meta.foreign)) {
    out[type] = ((plainOf(node) as Record<string, unknown>[]) ?? []).map(idOf);
  }
  return out;
}

/** Metadata for hovers and tree views; throws a SopsError when the text is not a sops file. */
export function inspect(text: string, options: { format?: AnyFormat; filePath?: string } = {}): SopsFileInfo {
  const { parsed, format, meta } = loadMetadata(text, options);
  if (!meta) throw new SopsError('NOT_ENCRYPTED', `${options.filePath ?? '<buffer>'}: not a sops file (no top-level sops key)`);
  const other = describeEntries(meta);
  const pgp = other.pgp ?? [];
  delete other.pgp;
  const groups = meta.keyGroups ? (plainOf(meta.keyGroups) as unknown[]) : [];
  return {
    format: format as 'yaml' | 'json',
    recipients: { age: meta.age.map((a) => a.recipient), pgp, other },
    keyGroupCount: groups.length || 1,
    shamirThreshold: meta.shamirThreshold,
    lastModified: meta.lastModified,
    version: meta.version,
    selection: meta.selection,
    macOnlyEncrypted: meta.macOnlyEncrypted,
    hasMac: meta.mac !== undefined,
    documentCount: parsed.branches.length,
  };
}

/**
 * Key paths (e.g. `stringData.password`, `items[2].token`) of values in encrypted positions that
 * are not `ENC[…]`, for the `secrets/partially-encrypted` rule. Values are never returned.
 * Returns [] for files that are not sops files.
 */
export function findUnencryptedValues(text: string, options: { format?: AnyFormat; filePath?: string } = {}): string[] {
  const { parsed, meta } = loadMetadata(text, options);
  if (!meta) return [];
  return findInTree(parsed.branches, meta.selection);
}
