// What makes a value a credential in clear, shared by the secrets rules: credential-like key
// names, connection strings with a password, and Flux `${VAR}` placeholders, which are not clear
// (read with the engine's one parser of `${...}`, model/build/envsubst.ts). A placeholder's
// default (`${DB_PASS:-changeme}`, `${API_KEY:=dummy}`) is not judged a credential in clear
// either: Flux applies it only when the variable is unset or empty, repositories write dummy
// fallbacks there (the corpus has an API key defaulting to a nonsense word), and encrypting the
// file, the remedy these rules propose, would not make a weak default any better.
import { maskExpressions, parseExpressions, type Expression } from '../model/build/envsubst';
import { envFileLines, literalPair } from '../model/build/generators';
import { isEncryptedValue } from '../model/values';
import { isReference } from './sops-policy';
import type { Resource } from '../model/types';

/** Last words of key names that hold a credential themselves. */
const CREDENTIAL_WORDS = new Set(['password', 'passwd', 'passphrase', 'pwd', 'pass', 'token', 'credential', 'credentials']);
const CREDENTIAL_PAIRS = new Set(['api key', 'access key', 'secret key', 'private key', 'client secret', 'auth token']);
/** Words that make a key name another object or a setting rather than the credential. */
const NOT_A_VALUE = new Set(['existing', 'ref', 'name', 'file', 'path', 'policy', 'length', 'enabled', 'mode', 'type', 'url', 'header', 'field', 'env', 'annotation', 'secret', 'selector', 'template', 'format', 'hash']);
/** scheme://user:password@host, with the password not a reference. */
const DSN = /^[a-z][a-z0-9+.-]*:\/\/[^:/@\s]+:([^@\s]+)@/i;
/** An absolute path of a file or folder: `/` then path segments, no spaces, nothing after. */
const FILE_PATH = /^\/(?:[\w.@+-]+\/)*[\w.@+-]+\/?$/;

/** The Flux placeholders of a text that Flux substitutes (`${VAR}`, `${VAR:-default}`...; not `$${VAR}`, not a malformed one). */
function placeholders(text: string): Expression[] {
  return text.includes('${') ? parseExpressions(text).filter((e) => !e.invalid) : [];
}

export function isCredentialKey(key: string): boolean {
  // Annotation keys (example.io/auth-secret) name other objects; they never hold the credential.
  if (key.includes('/')) return false;
  const words = key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase().split(/[^a-z0-9]+/).filter(Boolean);
  if (words.length === 0) return false;
  const last = words[words.length - 1];
  const pair = words.slice(-2).join(' ');
  // passwordKey, tokenSecretRef: the name of a key or object that holds the credential.
  if (words.slice(0, -1).some((w) => NOT_A_VALUE.has(w)) && !CREDENTIAL_PAIRS.has(pair)) return false;
  if (NOT_A_VALUE.has(last)) return CREDENTIAL_PAIRS.has(pair);
  return CREDENTIAL_WORDS.has(last) || CREDENTIAL_PAIRS.has(pair);
}

/** `secretKey: api-token` names the key inside a Secret; a real key has digits or is long. */
export function namesAKey(key: string, value: unknown): boolean {
  return /key$/i.test(key) && typeof value === 'string' && /^[A-Za-z][A-Za-z_.-]*$/.test(value) && value.length <= 40;
}

/**
 * A value written out in clear. Placeholders are not, defaults included: `${USER}:${PASS}` and
 * `${PASS:-changeme}` are not clear, while `hunter2-${SUFFIX}` is (a literal run of four or more
 * characters beside the placeholder).
 */
export function isClearValue(value: unknown): boolean {
  if (typeof value !== 'string' && typeof value !== 'number') return false;
  const text = String(value);
  const expressions = placeholders(text);
  return isClearText(text) && (expressions.length === 0 || /[A-Za-z0-9]{4,}/.test(maskExpressions(text, expressions, ' ')));
}

/** A text that is not a reference, a sentinel, ciphertext, a file path or too short to be a credential. */
function isClearText(text: string): boolean {
  // `none`, `disabled`: a setting that says there is no credential, not one.
  if (isReference(text) || isRedacted(text) || /^(true|false|null|~|none|nil|disabled|unset|empty)$/i.test(text) || isEncryptedValue(text) || text.length < 4) return false;
  // An absolute file path (GOOGLE_APPLICATION_CREDENTIALS: /secrets/sa.json) says where the
  // credential is mounted: the credential itself is elsewhere.
  return !FILE_PATH.test(text);
}

/**
 * A redaction mark written where the value goes (`XXXX`, `xxxxxxxx`, `****`): a template for
 * someone to fill in, which leaks nothing. One character repeated, at least three times.
 */
export function isRedacted(value: unknown): boolean {
  return typeof value === 'string' && /^([xX*])\1{2,}$/.test(value.trim());
}

/** A connection string whose password is written out; placeholders are masked first, so `${USER:-x}` is one token. */
export function hasClearDsn(value: string): boolean {
  const match = DSN.exec(maskExpressions(value, placeholders(value), '\u0000'));
  if (match === null) return false;
  const password = match[1];
  return !password.includes('\u0000') && !isReference(password) && !/^\$\(.+\)$/.test(password);
}

/** A Flux post-build placeholder `${VAR}` (or `${VAR:-default}`, `${VAR^^}`...) anywhere in the value. */
export function hasPlaceholder(value: unknown): boolean {
  return typeof value === 'string' && placeholders(value).length > 0;
}

/** `key = value`, `key: value`, `"key": "value"` or `key=value` on a line of a configuration text. */
const ASSIGNMENT = /^\s*["']?([A-Za-z0-9_.-]+)["']?\s*(?:=>|[:=])\s*["']?([^"'\s#;,]+)/;

/**
 * Whether a value holds a credential in clear: under a credential-like key, as a connection
 * string's password, or as a credential-like assignment inside a configuration text. What a
 * placeholder stands for is not in clear: `postgres://${USER}:${PASS}@db/app` holds none, while
 * `postgres://admin:hunter2@${HOST}/app` does.
 */
export function credentialInClear(key: string, value: unknown): boolean {
  if (isCredentialKey(key) && isClearValue(value) && !namesAKey(key, value)) return true;
  if (typeof value !== 'string') return false;
  for (const line of value.split('\n')) {
    if (hasClearDsn(line.trim())) return true;
    const assignment = ASSIGNMENT.exec(line);
    if (assignment && isCredentialKey(assignment[1]) && isClearValue(assignment[2])) return true;
  }
  return false;
}

/** One line of an authorized_keys or known_hosts file: options or host names, a public key type, its base64. */
const SSH_PUBLIC_KEY = /(^|\s)(ssh-(rsa|dss|ed25519)|ecdsa-sha2-nistp\d+|sk-(ssh-ed25519|ecdsa-sha2-nistp256)@openssh\.com) AAAA[A-Za-z0-9+/]+={0,3}(\s|$)/;
/** A PEM block that is public by nature. */
const PUBLIC_PEM = /^-----BEGIN (CERTIFICATE|PUBLIC KEY|RSA PUBLIC KEY|X509 CRL|TRUSTED CERTIFICATE)-----$/;

/**
 * A value that is public material only: SSH public keys (authorized_keys, known_hosts), PEM
 * certificates and public keys. Keeping it in a Secret leaks nothing; a private key beside it does.
 */
export function isPublicMaterial(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  const lines = value.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
  if (lines.length === 0) return false;
  let inPem = false;
  for (const line of lines) {
    if (inPem) {
      if (/^-----END [A-Z0-9 ]+-----$/.test(line)) inPem = false;
      else if (!/^[A-Za-z0-9+/=]+$/.test(line)) return false;
      continue;
    }
    if (PUBLIC_PEM.test(line)) inPem = true;
    else if (!SSH_PUBLIC_KEY.test(line)) return false;
  }
  return !inPem;
}

/**
 * The keys of a Secret's data or stringData whose values are in clear. A Secret filled in by
 * Flux substitution keeps its secrets in placeholders; its other values are settings (a
 * repository URL, a host) unless they look like a credential. Public material (SSH public keys,
 * certificates) leaks nothing, nor does a redaction mark (`XXXX`); `data` holds them in base64
 * (or, as a template's mark, written out).
 */
export function clearValues(r: Resource, field: 'data' | 'stringData'): string[] {
  const values = r.object[field];
  if (!values || typeof values !== 'object') return [];
  const entries = Object.entries(values);
  const substituted = entries.some(([, v]) => hasPlaceholder(v));
  const text = (v: unknown) => (field === 'data' && typeof v === 'string' ? Buffer.from(v, 'base64').toString('utf8') : v);
  return entries.filter(([k, v]) => !isReference(v) && !isRedacted(v) && !isRedacted(text(v)) && !isPublicMaterial(text(v)) && (!substituted || credentialInClear(k, v))).map(([k]) => k);
}

/**
 * A value a Secret would hold in clear: written out (not a reference, placeholder, sentinel,
 * ciphertext, file path or a value too short to be a credential) and not public material.
 */
export function isClearSecretValue(value: string): boolean {
  return isClearValue(value) && !isPublicMaterial(value);
}

/**
 * The keys of a secretGenerator's `literals` in clear, with the index of each literal. Every value
 * of a Secret is a secret (as in clearValues), so the keys' names do not matter; kustomize writes
 * the value into the Secret's data as it is (base64), so Flux never substitutes a `${VAR}` there.
 */
export function clearLiterals(literals: unknown): Array<{ key: string; index: number }> {
  if (!Array.isArray(literals)) return [];
  const result: Array<{ key: string; index: number }> = [];
  literals.forEach((literal, index) => {
    const pair = typeof literal === 'string' || typeof literal === 'number' ? literalPair(literal) : undefined;
    if (pair && isClearSecretValue(pair[1])) result.push({ key: pair[0], index });
  });
  return result;
}

/** The keys of an env file (as a secretGenerator's `envs` reads it: values as written, quotes kept) whose values are in clear. */
export function clearEnvKeys(text: string): string[] {
  return envFileLines(text).filter((l) => isClearSecretValue(l.value)).map((l) => l.key);
}
