/** Which store a file uses: sops picks it from the extension; content sniffing covers unsaved buffers. */
export type SopsFormat = 'yaml' | 'json';
export type AnyFormat = SopsFormat | 'dotenv' | 'ini' | 'binary';

export function formatFromPath(filePath: string | undefined): AnyFormat | undefined {
  if (!filePath) return undefined;
  const lower = filePath.toLowerCase();
  if (/\.ya?ml$/.test(lower)) return 'yaml';
  if (lower.endsWith('.json')) return 'json';
  if (lower.endsWith('.env')) return 'dotenv';
  if (lower.endsWith('.ini')) return 'ini';
  // sops uses its binary store (the whole file as one value) for any other extension.
  return 'binary';
}

const FORMAT_NAMES: Record<AnyFormat, string> = { yaml: 'a YAML file', json: 'a JSON file', dotenv: 'a dotenv file', ini: 'an INI file', binary: 'a binary-store file' };

export function describeFormat(format: AnyFormat): string {
  return FORMAT_NAMES[format];
}

export function sniffFormat(text: string): SopsFormat {
  return /^\s*\{/.test(text) ? 'json' : 'yaml';
}

export function resolveFormat(text: string, filePath?: string, explicit?: AnyFormat): AnyFormat {
  return explicit ?? formatFromPath(filePath) ?? sniffFormat(text);
}

/**
 * Whether kustomize-controller takes a secretGenerator input for SOPS-encrypted, and so decrypts
 * it before the build: as its decryptor does (internal/decryptor, sopsFormatToMarkerBytes), the
 * file holds the marker of its store's MAC (`sops_mac=ENC[` in a dotenv file, `[sops]` in an INI
 * file, `"mac": "ENC[` in JSON and the binary store's JSON envelope, `mac: ENC[` in YAML). The
 * store is picked from the path (for `files:` from the key; an env file of another extension
 * is read as dotenv).
 */
export function fluxDecrypts(text: string, path: string, envFile: boolean): boolean {
  let format = formatFromPath(path) ?? 'binary';
  if (envFile && format === 'binary') format = 'dotenv';
  const marker = { dotenv: 'sops_mac=ENC[', ini: '[sops]', json: '"mac": "ENC[', binary: '"mac": "ENC[', yaml: 'mac: ENC[' }[format];
  return text.includes(marker);
}
