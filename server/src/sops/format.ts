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
