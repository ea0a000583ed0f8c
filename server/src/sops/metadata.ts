/**
 * The top-level `sops` block: read from either sops generation (old files list empty `kms: []`
 * and `recipient` before `enc`), written the way current sops writes it (keys sorted, empty
 * lists left out, `lastmodified` as a quoted RFC 3339 string).
 */
import { SopsError } from './errors';
import { DEFAULT_SELECTION, type Selection, selectionFrom } from './selection';
import type { SopsMapping, SopsNode, SopsPair } from './tree';

/** The sops version we write; ≥ 3.10 because we write YAML timestamps as `type:time` like it does. */
export const SOPS_FORMAT_VERSION = '3.10.2';

/** Master-key types only the sops binary handles; their entries are kept verbatim. */
export const FOREIGN_KEY_TYPES = ['pgp', 'kms', 'gcp_kms', 'azure_kv', 'hc_vault', 'hckms'] as const;

export interface AgeKeyEntry {
  recipient: string;
  /** The armored age file holding the data key. */
  enc: string;
}

export interface SopsMetadata {
  age: AgeKeyEntry[];
  /** Non-empty lists of other master-key types, as found in the file. */
  foreign: Partial<Record<(typeof FOREIGN_KEY_TYPES)[number], SopsNode>>;
  /** Present only with several key groups (Shamir). */
  keyGroups?: SopsNode;
  shamirThreshold?: number;
  lastModified: string;
  mac?: string;
  selection: Selection;
  macOnlyEncrypted: boolean;
  version: string;
}

/** A sops tree node as plain JavaScript, for reading known metadata fields. */
export function plainOf(node: SopsNode | undefined): unknown {
  if (!node) return undefined;
  switch (node.kind) {
    case 'map':
      return Object.fromEntries(node.items.filter((i): i is SopsPair => i.kind === 'pair').map((p) => [p.key, plainOf(p.value)]));
    case 'seq':
      return node.items.filter((i) => i.kind !== 'comment').map((i) => plainOf(i as SopsNode));
    case 'int':
      return Number(node.value);
    case 'null':
      return null;
    default:
      return node.value;
  }
}

const isNonEmptyList = (v: unknown) => Array.isArray(v) && v.length > 0;

export function readMetadata(node: SopsNode | undefined, file: string): SopsMetadata {
  if (!node || node.kind !== 'map') throw new SopsError('NOT_ENCRYPTED', `${file}: not a sops file (no sops metadata)`);
  const raw = plainOf(node) as Record<string, unknown>;
  const field = (key: string) => (node.items.find((i) => i.kind === 'pair' && i.key === key) as SopsPair | undefined)?.value;
  const age = (Array.isArray(raw.age) ? raw.age : []).map((entry, i) => {
    const e = entry as Record<string, unknown>;
    if (typeof e?.recipient !== 'string' || typeof e?.enc !== 'string') {
      throw new SopsError('BAD_FORMAT', `${file}: sops.age[${i}] needs a recipient and an enc`);
    }
    return { recipient: e.recipient, enc: e.enc };
  });
  const foreign: SopsMetadata['foreign'] = {};
  for (const type of FOREIGN_KEY_TYPES) {
    const value = field(type);
    if (value && isNonEmptyList(raw[type])) foreign[type] = value;
  }
  const lastModified = raw.lastmodified;
  if (typeof lastModified !== 'string' || lastModified === '') throw new SopsError('BAD_FORMAT', `${file}: sops.lastmodified is missing`);
  const threshold = raw.shamir_threshold;
  return {
    age,
    foreign,
    keyGroups: isNonEmptyList(raw.key_groups) ? field('key_groups') : undefined,
    shamirThreshold: typeof threshold === 'number' ? threshold : undefined,
    lastModified,
    mac: typeof raw.mac === 'string' && raw.mac !== '' ? raw.mac : undefined,
    selection: selectionFrom(raw, `${file}: sops metadata`),
    macOnlyEncrypted: raw.mac_only_encrypted === true || raw.mac_only_encrypted === 'true',
    version: typeof raw.version === 'string' ? raw.version : String(raw.version ?? ''),
  };
}

const str = (value: string): SopsNode => ({ kind: 'str', value });
const pair = (key: string, value: SopsNode): SopsPair => ({ kind: 'pair', key, value });

/** The `sops` mapping as current sops emits it: keys in alphabetical order. */
export function writeMetadata(meta: SopsMetadata): SopsMapping {
  const items: SopsPair[] = [];
  if (meta.age.length) {
    items.push(
      pair('age', {
        kind: 'seq',
        items: meta.age.map((a) => ({ kind: 'map', items: [pair('enc', str(a.enc)), pair('recipient', str(a.recipient))] })),
      }),
    );
  }
  for (const [type, value] of Object.entries(meta.foreign)) if (value) items.push(pair(type, value));
  if (meta.keyGroups) items.push(pair('key_groups', meta.keyGroups));
  items.push(pair('lastmodified', str(meta.lastModified)));
  if (meta.mac) items.push(pair('mac', str(meta.mac)));
  if (meta.macOnlyEncrypted) items.push(pair('mac_only_encrypted', { kind: 'bool', value: true }));
  const selection = meta.selection ?? DEFAULT_SELECTION;
  items.push(pair(selection.key, str(selection.value)));
  if (meta.keyGroups && meta.shamirThreshold !== undefined) items.push(pair('shamir_threshold', { kind: 'int', value: BigInt(meta.shamirThreshold) }));
  items.push(pair('version', str(meta.version)));
  items.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return { kind: 'map', items };
}
