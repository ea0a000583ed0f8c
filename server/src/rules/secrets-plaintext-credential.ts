import type { NodePath, Resource } from '../model/types';
import { isReference } from './sops-policy';
import { fileRule, type Rule, type RuleFinding } from './types';

export const secretsPlaintextCredential: Rule = fileRule(
  {
    id: 'secrets/plaintext-credential',
    defaultSeverity: 'warning',
    description: 'A credential-looking value in clear in HelmRelease values, ConfigMaps or container env (password, token, apiKey, a connection string with a password).',
    help:
      'Chart values, ConfigMaps and env are not encrypted by the usual encrypted_regex (^(data|stringData)$), so a password written there is pushed in clear. Keep it in a SOPS-encrypted Secret and reference it (valuesFrom, existingSecret, secretKeyRef). References (${VAR}, op://…, templates) are fine. The finding never quotes the value.',
    fix: '—',
  },
  // One file at a time, so the engine reuses the findings of unchanged files.
  (model, one) => {
    const findings: RuleFinding[] = [];
    for (const file of [one]) {
      if (file.sopsEncrypted || model.graph.patchFiles.has(file.path)) continue;
      for (const r of file.resources) {
        for (const hit of credentialsIn(r)) {
          findings.push({
            file: file.path,
            range: model.rangeOf(r, hit.path, hit.target),
            message: `${r.kind} ${r.name} has ${hit.dsn ? 'a connection string with a password' : `a credential in clear (${hit.label})`} in ${hit.where}; keep it in a SOPS-encrypted Secret and reference it instead.`,
          });
        }
      }
    }
    return findings;
  },
);

interface Hit {
  path: NodePath;
  label: string;
  where: string;
  dsn: boolean;
  /** Point at the key (a values entry named like a credential) or at the value (env, DSN). */
  target: 'key' | 'value';
}

/** Last words of key names that hold a credential themselves. */
const CREDENTIAL_WORDS = new Set(['password', 'passwd', 'passphrase', 'pwd', 'pass', 'token', 'credential', 'credentials']);
const CREDENTIAL_PAIRS = new Set(['api key', 'access key', 'secret key', 'private key', 'client secret', 'auth token']);
/** Words that make a key name another object or a setting rather than the credential. */
const NOT_A_VALUE = new Set(['existing', 'ref', 'name', 'file', 'path', 'policy', 'length', 'enabled', 'mode', 'type', 'url', 'header', 'field', 'env', 'annotation', 'secret', 'selector', 'template', 'format', 'hash']);
/** scheme://user:password@host, with the password not a reference. */
const DSN = /^[a-z][a-z0-9+.-]*:\/\/[^:/@\s]+:([^@\s]+)@/i;

function* credentialsIn(r: Resource): Generator<Hit> {
  if (r.kind === 'HelmRelease') yield* scan(r.object.spec?.values, ['spec', 'values'], 'spec.values');
  else if (r.kind === 'ConfigMap' && r.apiVersion === 'v1') yield* scan(r.object.data, ['data'], 'data');
  const pod = r.object.spec?.template?.spec ?? r.object.spec?.jobTemplate?.spec?.template?.spec ?? (r.kind === 'Pod' ? r.object.spec : undefined);
  if (!pod) return;
  const podPath: NodePath = r.object.spec?.template?.spec ? ['spec', 'template', 'spec'] : r.object.spec?.jobTemplate ? ['spec', 'jobTemplate', 'spec', 'template', 'spec'] : ['spec'];
  for (const group of ['containers', 'initContainers'] as const) {
    const containers: any[] = Array.isArray(pod[group]) ? pod[group] : [];
    for (let i = 0; i < containers.length; i++) {
      const envs: any[] = Array.isArray(containers[i]?.env) ? containers[i].env : [];
      for (let j = 0; j < envs.length; j++) {
        const env = envs[j];
        if (typeof env?.name !== 'string' || env.value === undefined) continue;
        const hit = { path: [...podPath, group, i, 'env', j, 'value'], label: `env ${env.name}`, where: `container ${containers[i].name}`, target: 'value' as const };
        if (isCredentialKey(env.name) && isClearValue(env.value)) yield { ...hit, dsn: false };
        else if (typeof env.value === 'string' && hasClearDsn(env.value)) yield { ...hit, dsn: true };
      }
    }
  }
}

function* scan(value: unknown, path: NodePath, where: string): Generator<Hit> {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) yield* scan(value[i], [...path, i], where);
    return;
  }
  if (!value || typeof value !== 'object') return;
  for (const [key, child] of Object.entries(value)) {
    const childPath = [...path, key];
    if (child && typeof child === 'object') {
      yield* scan(child, childPath, where);
      continue;
    }
    if (isCredentialKey(key) && isClearValue(child) && !namesAKey(key, child)) yield { path: childPath, label: key, where, dsn: false, target: 'key' };
    else if (typeof child === 'string' && hasClearDsn(child)) yield { path: childPath, label: key, where, dsn: true, target: 'value' };
  }
}

function isCredentialKey(key: string): boolean {
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
function namesAKey(key: string, value: unknown): boolean {
  return /key$/i.test(key) && typeof value === 'string' && /^[A-Za-z][A-Za-z_.-]*$/.test(value) && value.length <= 40;
}

function isClearValue(value: unknown): boolean {
  if (typeof value !== 'string' && typeof value !== 'number') return false;
  const text = String(value);
  return !isReference(text) && !/^(true|false|null|~)$/i.test(text) && !/^ENC\[/.test(text) && text.length >= 4;
}

function hasClearDsn(value: string): boolean {
  const match = DSN.exec(value);
  return match !== null && !isReference(match[1]) && !/^\$\{[^}]+\}$/.test(match[1]) && !/^\$\(.+\)$/.test(match[1]);
}

