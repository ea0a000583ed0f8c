// kustomize's built-in transformers over the resources of a kustomization: namespace, name
// prefix/suffix, labels, annotations, images, replicas, and the target selectors patches use.
import { selectsGvk, visitPath, type FieldSpec } from './fieldSpecs';
import { anyIds, BuildFailure, curId, effectiveNamespace, groupVersion, isClusterScoped, storePreviousId, type Res } from './resources';
import type { SourceRef } from './types';

function specsFor(specs: FieldSpec[], r: Res): FieldSpec[] {
  const { apiVersion, kind } = curId(r);
  return specs.filter((s) => selectsGvk(s, apiVersion, kind));
}

export interface NamespaceOptions {
  /** Only objects without a namespace get one. */
  unsetOnly?: boolean;
  /** Which RoleBinding subjects follow: 'defaultOnly' (kustomize's default), 'allServiceAccounts', 'none'. */
  subjects?: string;
}

export function setNamespace(resources: Res[], namespace: string, specs: FieldSpec[], source: SourceRef, options: NamespaceOptions = {}): void {
  const set = (holder: any, key: string) => {
    if (options.unsetOnly && holder[key] !== undefined && holder[key] !== null && holder[key] !== '') return;
    holder[key] = namespace;
  };
  for (const r of resources) {
    if (!r.object || Object.keys(r.object).length === 0) continue;
    if (r.object.metadata?.annotations?.['kustomize.config.k8s.io/helm-generated'] === 'true') continue;
    storePreviousId(r);
    const { apiVersion, kind } = curId(r);
    if (!isClusterScoped(apiVersion, kind)) {
      r.object.metadata ??= {};
      set(r.object.metadata, 'namespace');
    }
    if ((kind === 'RoleBinding' || kind === 'ClusterRoleBinding') && options.subjects !== 'none') {
      for (const subject of Array.isArray(r.object.subjects) ? r.object.subjects : []) {
        if (!subject || typeof subject !== 'object') continue;
        if (options.subjects === 'allServiceAccounts' ? subject.kind === 'ServiceAccount' : subject.name === 'default') set(subject, 'namespace');
      }
    }
    for (const spec of specsFor(specs, r)) {
      if (spec.path === 'metadata/namespace') continue;
      if (spec.path === 'metadata/name' && apiVersion !== 'v1') continue;
      if ((kind === 'RoleBinding' || kind === 'ClusterRoleBinding') && spec.path === 'subjects/namespace') continue;
      visitPath(r.object, spec.path, spec.create ? () => '' : undefined, set);
    }
    r.chain.push({ file: source.file, field: 'namespace', nodePath: source.nodePath });
  }
  const seen = new Map<string, Res>();
  for (const r of resources) {
    const id = curId(r);
    const key = `${id.apiVersion}|${id.kind}|${id.name}|${effectiveNamespace(id)}`;
    if (seen.has(key)) throw new BuildFailure(`namespace transformation produces ID conflict: ${id.kind} ${id.name} in ${namespace}`, source);
    seen.set(key, r);
  }
}

const PREFIX_SKIPPED = (apiVersion: string, kind: string) =>
  kind === 'CustomResourceDefinition' || kind === 'Namespace' || (kind === 'APIService' && groupVersion(apiVersion).group === 'apiregistration.k8s.io');

export function addNameAffix(resources: Res[], affix: string, which: 'prefix' | 'suffix', specs: FieldSpec[], source: SourceRef): void {
  for (const r of resources) {
    const { apiVersion, kind } = curId(r);
    if (PREFIX_SKIPPED(apiVersion, kind)) continue;
    const applicable = specsFor(specs, r);
    if (applicable.length === 0) continue;
    storePreviousId(r);
    if (which === 'prefix') (r.prefixes ??= []).push(affix);
    else (r.suffixes ??= []).push(affix);
    for (const spec of applicable) {
      visitPath(r.object, spec.path, spec.create ? () => '' : undefined, (holder, key) => {
        if (typeof holder[key] !== 'string') return;
        holder[key] = which === 'prefix' ? affix + holder[key] : holder[key] + affix;
      });
    }
    r.chain.push({ file: source.file, field: which === 'prefix' ? 'namePrefix' : 'nameSuffix', nodePath: source.nodePath });
  }
}

/** Sets map entries (labels or annotations) at every field spec that selects each resource. */
export function addMapEntries(resources: Res[], entries: Record<string, string>, specs: FieldSpec[], source: SourceRef, field: string): void {
  if (Object.keys(entries).length === 0) return;
  for (const r of resources) {
    let touched = false;
    for (const spec of specsFor(specs, r)) {
      visitPath(r.object, spec.path, spec.create ? () => ({}) : undefined, (holder, key) => {
        if (!holder[key] || typeof holder[key] !== 'object' || Array.isArray(holder[key])) {
          if (holder[key] !== null && holder[key] !== undefined && typeof holder[key] !== 'object') return;
          holder[key] = {};
        }
        Object.assign(holder[key], entries);
        touched = true;
      });
    }
    if (touched) r.chain.push({ file: source.file, field, nodePath: source.nodePath });
  }
}

export interface ImageSetting {
  name: string;
  newName?: string;
  newTag?: string;
  digest?: string;
}

function splitImage(image: string): { name: string; tag: string; digest: string } {
  let rest = image;
  let digest = '';
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let tag = '';
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  return { name: rest, tag, digest };
}

function updateImage(value: string, setting: ImageSetting): string | undefined {
  const escaped = setting.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  if (!new RegExp(`^${escaped}(:[a-zA-Z0-9_.{}-]*)?(@sha256:[a-zA-Z0-9_.{}-]*)?$`).test(value)) return undefined;
  let { name, tag, digest } = splitImage(value);
  if (setting.newName) name = setting.newName;
  if (setting.newTag && setting.digest) {
    tag = setting.newTag;
    digest = setting.digest;
  } else if (setting.newTag) {
    tag = setting.newTag;
    digest = '';
  } else if (setting.digest) {
    digest = setting.digest;
    tag = '';
  }
  return `${name}${tag ? `:${tag}` : ''}${digest ? `@${digest}` : ''}`;
}

/** The images transformer: the field specs, and every `containers` / `initContainers` list anywhere. */
export function setImages(resources: Res[], setting: ImageSetting, specs: FieldSpec[], source: SourceRef): void {
  for (const r of resources) {
    let touched = false;
    const set = (holder: any, key: string) => {
      if (typeof holder[key] !== 'string') return;
      const next = updateImage(holder[key], setting);
      if (next !== undefined) {
        holder[key] = next;
        touched = true;
      }
    };
    const legacy = (node: any) => {
      if (Array.isArray(node)) node.forEach(legacy);
      else if (node && typeof node === 'object') {
        for (const [key, value] of Object.entries(node)) {
          if ((key === 'containers' || key === 'initContainers') && Array.isArray(value)) {
            for (const c of value) if (c && typeof c === 'object' && 'image' in c) set(c, 'image');
          } else legacy(value);
        }
      }
    };
    legacy(r.object);
    for (const spec of specsFor(specs, r)) visitPath(r.object, spec.path, undefined, set);
    if (touched) r.chain.push({ file: source.file, field: 'images', nodePath: source.nodePath });
  }
}

export function setReplicas(resources: Res[], name: string, count: unknown, specs: FieldSpec[], source: SourceRef): void {
  let found = false;
  for (const spec of specs) {
    for (const r of resources) {
      const { apiVersion, kind } = curId(r);
      if (!selectsGvk(spec, apiVersion, kind) || !anyIds(r).some((id) => id.name === name)) continue;
      found = true;
      visitPath(r.object, spec.path, spec.create ? () => 0 : undefined, (holder, key) => (holder[key] = count));
      r.chain.push({ file: source.file, field: 'replicas', nodePath: source.nodePath });
    }
  }
  if (!found) throw new BuildFailure(`resource with name ${name} does not match a config with the following GVK ${specs.map((s) => s.kind).join(', ')}`, source);
}

export interface Selector {
  group?: string;
  version?: string;
  kind?: string;
  name?: string;
  namespace?: string;
  labelSelector?: string;
  annotationSelector?: string;
}

function anchored(pattern: string): RegExp {
  try {
    return new RegExp(`^(?:${pattern})$`);
  } catch {
    return new RegExp(`^${pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
  }
}

/** A Kubernetes label selector (`a=b`, `a!=b`, `a in (x,y)`, `a notin (x)`, `a`, `!a`). */
export function matchesLabelSelector(selector: string | undefined, labels: Record<string, unknown> | undefined): boolean {
  if (!selector) return true;
  const map = labels && typeof labels === 'object' ? labels : {};
  const has = (k: string) => Object.prototype.hasOwnProperty.call(map, k);
  const terms = selector.match(/(?:[^,(]|\([^)]*\))+/g) ?? [];
  for (const raw of terms) {
    const term = raw.trim();
    if (term === '') continue;
    let m: RegExpExecArray | null;
    if ((m = /^(\S+)\s+(in|notin)\s*\(([^)]*)\)$/.exec(term))) {
      const values = m[3].split(',').map((v) => v.trim());
      const inSet = has(m[1]) && values.includes(String(map[m[1]]));
      if (m[2] === 'in' ? !inSet : inSet) return false;
    } else if ((m = /^([^=!\s]+)\s*(==|=|!=)\s*(\S*)$/.exec(term))) {
      const equal = has(m[1]) && String(map[m[1]]) === m[3];
      if (m[2] === '!=' ? equal : !equal) return false;
    } else if ((m = /^!\s*(\S+)$/.exec(term))) {
      if (has(m[1])) return false;
    } else if (!has(term)) return false;
  }
  return true;
}

/** kustomize's resmap Select: original or current name and namespace, regular expressions anchored. */
export function selectResources(resources: Res[], selector: Selector): Res[] {
  const name = selector.name ? anchored(selector.name) : undefined;
  const namespace = selector.namespace ? anchored(selector.namespace) : undefined;
  const group = selector.group ? anchored(selector.group) : undefined;
  const version = selector.version ? anchored(selector.version) : undefined;
  const kind = selector.kind ? anchored(selector.kind) : undefined;
  return resources.filter((r) => {
    const cur = curId(r);
    const ids = [r.orgId, cur];
    if (namespace && !ids.some((id) => namespace.test(effectiveNamespace(id) === '_cluster' ? '' : effectiveNamespace(id)))) return false;
    if (name && !ids.some((id) => name.test(id.name))) return false;
    const gv = groupVersion(cur.apiVersion);
    if (group && !group.test(gv.group)) return false;
    if (version && !version.test(gv.version)) return false;
    if (kind && !kind.test(cur.kind)) return false;
    if (!matchesLabelSelector(selector.labelSelector, r.object?.metadata?.labels)) return false;
    if (!matchesLabelSelector(selector.annotationSelector, r.object?.metadata?.annotations)) return false;
    return true;
  });
}
