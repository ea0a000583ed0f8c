// What kustomize does once at the end of a build: content hashes on generated names, then every
// name reference (a Deployment's ConfigMap, a RoleBinding's ServiceAccount...) renamed to follow.
import { createHash } from 'node:crypto';
import { selectsGvk, visitPath, type NameBackReference } from './fieldSpecs';
import { BuildFailure, curId, effectiveNamespace, groupVersion, isClusterScoped, storePreviousId, type Res, type ResId } from './resources';
import type { SourceRef } from './types';

/** JSON as Go's encoding/json writes it: map keys sorted, <, > and & escaped. */
export function goJson(value: unknown): string {
  const text = (v: unknown): string => {
    if (Array.isArray(v)) return `[${v.map(text).join(',')}]`;
    if (v && typeof v === 'object') {
      return `{${Object.keys(v)
        .sort()
        .map((k) => `${JSON.stringify(k)}:${text((v as any)[k])}`)
        .join(',')}}`;
    }
    return JSON.stringify(v ?? null);
  };
  return text(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function encodeHash(hex: string): string {
  const map: Record<string, string> = { '0': 'g', '1': 'h', '3': 'k', a: 'm', e: 't' };
  return [...hex.slice(0, 10)].map((c) => map[c] ?? c).join('');
}

/** kustomize's content hash of a ConfigMap or Secret (the suffix of a generated name). */
export function contentHash(object: any): string {
  const field = (key: string) => (object?.[key] === undefined || object?.[key] === null ? '' : object[key]);
  // kustomize looks the name up as one field called "metadata/name", which never exists: its
  // hashes are computed with an empty name, so equal content gives equal suffixes.
  const name = '';
  let encoded: string;
  if (object?.kind === 'ConfigMap') {
    const m: any = { kind: 'ConfigMap', name, data: field('data') };
    if (object.binaryData && typeof object.binaryData === 'object') m.binaryData = object.binaryData;
    encoded = goJson(m);
  } else if (object?.kind === 'Secret') {
    const m: any = { kind: 'Secret', type: field('type'), name, data: field('data') };
    if (object.stringData && typeof object.stringData === 'object') m.stringData = object.stringData;
    encoded = goJson(m);
  } else encoded = goJson(object);
  return encodeHash(createHash('sha256').update(encoded).digest('hex'));
}

export function addHashes(resources: Res[]): void {
  for (const r of resources) {
    if (!r.needsHash) continue;
    const hash = contentHash(r.object);
    storePreviousId(r);
    r.object.metadata.name = `${r.object.metadata.name}-${hash}`;
  }
}

function selectedBy(id: ResId, target: { group?: string; version?: string; kind?: string }): boolean {
  return selectsGvk(target, id.apiVersion, id.kind);
}

function couldBeReferencedBy(referrer: Res, resources: Res[]): Res[] {
  const rid = curId(referrer);
  if (isClusterScoped(rid.apiVersion, rid.kind)) return resources;
  const bindingNamespaces = new Set<string>();
  if (rid.kind === 'RoleBinding' || rid.kind === 'ClusterRoleBinding') {
    for (const s of Array.isArray(referrer.object.subjects) ? referrer.object.subjects : []) {
      if (s?.kind === 'ServiceAccount' && typeof s.namespace === 'string') bindingNamespaces.add(s.namespace);
    }
  }
  return resources.filter((r) => {
    const id = curId(r);
    return isClusterScoped(id.apiVersion, id.kind) || effectiveNamespace(id) === effectiveNamespace(rid) || bindingNamespaces.has(id.namespace);
  });
}

function sameEnding(a: string[], b: string[]): boolean {
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  if (short.length === 0) return long.length === 0;
  const diff = long.length - short.length;
  return short.every((x, i) => long[i + diff] === x);
}

/** kustomize's PrefixesSuffixesEquals: a referrer and its referral went through the same affixes. */
function sameAffixes(a: Res, b: Res, allowEmpty: boolean): boolean {
  const [ap, bp, as, bs] = [a.prefixes ?? [], b.prefixes ?? [], a.suffixes ?? [], b.suffixes ?? []];
  if (!allowEmpty) return sameEnding(ap, bp) && sameEnding(as, bs);
  return (ap.length === 0 || bp.length === 0 || sameEnding(ap, bp)) && (as.length === 0 || bs.length === 0 || sameEnding(as, bs));
}

/** Re-points every name reference at the current name of what it names (kustomize's nameref). */
export function fixNameReferences(resources: Res[], backReferences: NameBackReference[], source: SourceRef): void {
  for (const back of backReferences) {
    for (const spec of back.fieldSpecs) {
      for (const referrer of resources) {
        const org = referrer.orgId;
        if (!selectsGvk(spec, org.apiVersion, org.kind)) continue;
        const candidates = couldBeReferencedBy(referrer, resources);
        const select = (oldName: string, pool: Res[], sameNames: (rs: Res[]) => boolean): Res | undefined => {
          let c = pool.filter((r) => r.prevIds.some((id) => id.name === oldName));
          c = c.filter((r) => r.prevIds.some((id) => selectedBy(id, back)));
          if (spec.path.endsWith('roleRef/name')) {
            const roleRef = referrer.object.roleRef;
            if (roleRef && typeof roleRef.apiGroup === 'string' && typeof roleRef.kind === 'string') {
              c = c.filter((r) => r.prevIds.some((id) => groupVersion(id.apiVersion).group === roleRef.apiGroup && id.kind === roleRef.kind));
            }
          }
          const rid = curId(referrer);
          if (!isClusterScoped(rid.apiVersion, rid.kind)) {
            c = c.filter((r) => {
              const id = curId(r);
              return isClusterScoped(id.apiVersion, id.kind) || id.kind === 'ServiceAccount' || effectiveNamespace(id) === effectiveNamespace(rid);
            });
          }
          if (c.length === 1) return c[0];
          c = c.filter((r) => sameAffixes(referrer, r, true));
          if (c.length > 1) c = c.filter((r) => sameAffixes(referrer, r, false));
          if (c.length <= 1) return c[0];
          if (sameNames(c)) return c[0];
          throw new BuildFailure(`found multiple possible referrals: ${c.map((r) => curId(r).name).join(', ')}`, source);
        };
        const setScalar = (holder: any, key: string) => {
          const referral = select(String(holder[key]), candidates, (rs) => rs.every((r) => curId(r).name === curId(rs[0]).name));
          if (referral) holder[key] = curId(referral).name;
        };
        const setMapping = (node: any) => {
          if (node.name === undefined) return;
          let pool = candidates;
          if (typeof node.namespace === 'string') {
            const byOriginal = candidates.filter((r) => r.orgId.namespace === node.namespace);
            pool = byOriginal.length > 0 ? byOriginal : candidates.filter((r) => curId(r).namespace === node.namespace);
          }
          const referral = select(String(node.name), pool, (rs) => rs.every((r) => curId(r).name === curId(rs[0]).name && curId(r).namespace === curId(rs[0]).namespace));
          if (!referral) return;
          const id = curId(referral);
          if (id.name === node.name && id.namespace === '') return;
          node.name = id.name;
          if (id.namespace !== '') node.namespace = id.namespace;
        };
        visitPath(referrer.object, spec.path, undefined, (holder, key) => {
          const value = holder[key];
          if (value === null || value === undefined) return;
          if (Array.isArray(value)) {
            value.forEach((element, i) => {
              if (element && typeof element === 'object') setMapping(element);
              else if (element !== null) setScalar(value, String(i));
            });
          } else if (typeof value === 'object') setMapping(value);
          else setScalar(holder, key);
        });
      }
    }
  }
}
