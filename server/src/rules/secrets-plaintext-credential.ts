import type { NodePath, Resource } from '../model/types';
import { hasClearDsn, isClearValue, isCredentialKey, namesAKey } from './credentials';
import { fileRule, type Rule, type RuleFinding } from './types';

export const secretsPlaintextCredential: Rule = fileRule(
  {
    id: 'secrets/plaintext-credential',
    defaultSeverity: 'warning',
    description: 'A credential-looking value in clear in HelmRelease values, ConfigMaps or container env (password, token, apiKey, a connection string with a password).',
    help:
      'Chart values, ConfigMaps and env are not encrypted by the usual encrypted_regex (^(data|stringData)$), so a password written there is pushed in clear. Keep it in a SOPS-encrypted Secret and reference it (valuesFrom, existingSecret, secretKeyRef). References (${VAR}, op://…, templates) are fine. One finding per object and place, with the count; it never quotes the value.',
    fix: '—',
  },
  // One file at a time, so the engine reuses the findings of unchanged files.
  (model, one) => {
    const findings: RuleFinding[] = [];
    for (const file of [one]) {
      if (file.sopsEncrypted || model.graph.patchFiles.has(file.path)) continue;
      for (const r of file.resources) {
        // One finding per object and place (values, data, a container), with the count.
        const byWhere = new Map<string, Hit[]>();
        for (const hit of credentialsIn(r)) byWhere.set(hit.where, [...(byWhere.get(hit.where) ?? []), hit]);
        for (const [where, hits] of byWhere) {
          const [first] = hits;
          const labels = hits.map((h) => (h.dsn ? `${h.label} (connection string)` : h.label));
          findings.push({
            file: file.path,
            range: model.rangeOf(r, first.path, first.target),
            message:
              hits.length === 1
                ? `${r.kind} ${r.name} has ${first.dsn ? 'a connection string with a password' : `a credential in clear (${first.label})`} in ${where}; keep it in a SOPS-encrypted Secret and reference it instead.`
                : `${r.kind} ${r.name} has ${hits.length} credentials in clear in ${where} (${labels.slice(0, 4).join(', ')}${labels.length > 4 ? ', …' : ''}); keep them in a SOPS-encrypted Secret and reference them instead.`,
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
