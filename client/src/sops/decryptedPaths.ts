// The path of a decrypted view and back (pure, so tested without VS Code): `secret.sops.yaml` is
// shown as `secret.sops (decrypted).yaml`, so its tab differs from the encrypted file's.
const SUFFIX = ' (decrypted)';

export function decryptedPath(path: string): string {
  return path.replace(/(\.[^./]*)?$/, (extension) => `${SUFFIX}${extension}`);
}

export function filePath(path: string): string {
  const match = /^(.*) \(decrypted\)(\.[^./]*)?$/.exec(path);
  return match ? match[1] + (match[2] ?? '') : path;
}
