// kustomize replacements: a value read from one resource (or given) copied into fields of others.
import { selectsGvk } from './fieldSpecs';
import { anyIds, BuildFailure, effectiveNamespace, groupVersion, type Res, type ResId } from './resources';
import { matchesLabelSelector } from './transformers';
import type { SourceRef } from './types';

/** Splits a replacement field path on dots outside brackets. */
export function splitFieldPath(path: string): string[] {
  const parts: string[] = [];
  let current = '';
  let depth = 0;
  for (const c of path) {
    if (c === '[') depth++;
    if (c === ']') depth--;
    if (c === '.' && depth === 0) {
      parts.push(current);
      current = '';
    } else current += c;
  }
  parts.push(current);
  return parts;
}

/** The nodes a path reaches, as (holder, key) pairs; with `create`, missing fields are made. */
function lookup(root: any, parts: string[], create: boolean): Array<{ holder: any; key: string | number }> {
  let current: Array<{ holder: any; key: string | number }> = [{ holder: { root }, key: 'root' }];
  parts.forEach((part, i) => {
    const last = i === parts.length - 1;
    const next: typeof current = [];
    for (const { holder, key } of current) {
      let node = holder[key];
      if (node === undefined || node === null) {
        if (!create) continue;
        node = holder[key] = /^\[.*\]$/.test(part) || /^\d+$/.test(part) || part === '-' ? [] : {};
      }
      const element = /^\[([^=\]]*)=([^\]]*)\]$/.exec(part);
      if (element) {
        if (!Array.isArray(node)) continue;
        const [, k, v] = element;
        let matched = node.map((e, index) => ({ e, index })).filter(({ e }) => e && typeof e === 'object' && String(e[k]) === v);
        if (matched.length === 0 && create) {
          node.push({ [k]: v });
          matched = [{ e: node[node.length - 1], index: node.length - 1 }];
        }
        for (const { index } of matched) next.push({ holder: node, key: index });
      } else if (part === '*') {
        if (Array.isArray(node)) node.forEach((_, index) => next.push({ holder: node, key: index }));
        else if (node && typeof node === 'object') Object.keys(node).forEach((k) => next.push({ holder: node, key: k }));
      } else if (Array.isArray(node)) {
        if (/^\d+$/.test(part) && Number(part) < node.length) next.push({ holder: node, key: Number(part) });
      } else if (node && typeof node === 'object') {
        if (node[part] === undefined && !create) continue;
        if (node[part] === undefined && !last) node[part] = {};
        else if (node[part] === undefined) node[part] = null;
        next.push({ holder: node, key: part });
      }
    }
    current = next;
  });
  return current;
}

function idSelectedBy(id: ResId, selector: any): boolean {
  if (!selector || typeof selector !== 'object') return true;
  if (selector.name && selector.name !== id.name) return false;
  if (selector.namespace && selector.namespace !== (effectiveNamespace(id) === '_cluster' ? '' : effectiveNamespace(id)) && selector.namespace !== id.namespace) return false;
  return selectsGvk({ group: selector.group, version: selector.version, kind: selector.kind }, id.apiVersion, id.kind);
}

function anchoredTest(pattern: unknown, value: string): boolean {
  if (typeof pattern !== 'string' || pattern === '') return true;
  try {
    return new RegExp(`^(?:${pattern})$`).test(value);
  } catch {
    return pattern === value;
  }
}

function regexSelects(selector: any, id: ResId): boolean {
  const { group, version } = groupVersion(id.apiVersion);
  const ns = effectiveNamespace(id) === '_cluster' ? '' : effectiveNamespace(id);
  return (
    anchoredTest(selector.name, id.name) &&
    (anchoredTest(selector.namespace, ns) || anchoredTest(selector.namespace, id.namespace)) &&
    anchoredTest(selector.group, group) &&
    anchoredTest(selector.version, version) &&
    anchoredTest(selector.kind, id.kind)
  );
}

function scalarText(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** A target scalar keeps its own type (kustomize writes the value into the existing node). */
function retyped(target: unknown, value: unknown): unknown {
  if (value && typeof value === 'object') return structuredClone(value);
  const text = value === null ? '' : String(value);
  if (typeof target === 'string') return text;
  if (typeof target === 'number') return /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(text) ? Number(text) : text;
  if (typeof target === 'boolean') return text === 'true' ? true : text === 'false' ? false : text;
  return value;
}

export function applyReplacement(resources: Res[], replacement: any, source: SourceRef): void {
  const fail = (message: string) => new BuildFailure(message, source);
  if (!replacement || typeof replacement !== 'object') throw fail('replacements must specify a source and at least one target');
  if ((replacement.source == null && replacement.sourceValue == null) || !Array.isArray(replacement.targets)) {
    throw fail('replacements must specify a source and at least one target');
  }
  let value: unknown;
  if (replacement.sourceValue != null) value = String(replacement.sourceValue);
  else {
    const selector = replacement.source;
    const matches = resources.filter((r) => anyIds(r).some((id) => idSelectedBy(id, selector)));
    if (matches.length > 1) throw fail(`multiple matches for selector ${selector.kind ?? ''}/${selector.name ?? ''}`);
    if (matches.length === 0) throw fail(`nothing selected by ${selector.kind ?? ''}/${selector.name ?? ''}`);
    const fieldPath = typeof selector.fieldPath === 'string' && selector.fieldPath ? selector.fieldPath : 'metadata.name';
    const found = lookup(matches[0].object, splitFieldPath(fieldPath), false);
    const v = found.length > 0 ? found[0].holder[found[0].key] : undefined;
    if (v === undefined || v === null || v === '' || (typeof v === 'object' && Object.keys(v).length === 0)) {
      throw fail(`fieldPath \`${fieldPath}\` is missing for replacement source ${selector.kind ?? ''}/${selector.name ?? ''}`);
    }
    value = v;
    const options = selector.options;
    if (options?.delimiter) {
      if (typeof v === 'object') throw fail('delimiter option can only be used with scalar nodes');
      const parts = scalarText(v).split(options.delimiter);
      const index = Number(options.index ?? 0);
      if (index < 0 || index >= parts.length) throw fail(`options.index ${index} is out of bounds for value ${scalarText(v)}`);
      value = parts[index];
    }
  }
  for (const target of replacement.targets) {
    if (!target?.select) throw fail('target must specify resources to select');
    const fieldPaths: string[] = Array.isArray(target.fieldPaths) && target.fieldPaths.length > 0 ? target.fieldPaths.map(String) : ['metadata.name'];
    const rejects: any[] = Array.isArray(target.reject) ? target.reject : [];
    for (const r of resources) {
      const labels = r.object?.metadata?.labels;
      const annotations = r.object?.metadata?.annotations;
      if (!matchesLabelSelector(target.select.labelSelector, labels) || !matchesLabelSelector(target.select.annotationSelector, annotations)) continue;
      if (rejects.some((x) => (x?.labelSelector || x?.annotationSelector) && matchesLabelSelector(x.labelSelector, labels) && matchesLabelSelector(x.annotationSelector, annotations))) continue;
      const ids = anyIds(r);
      if (rejects.some((x) => x && (x.name || x.namespace || x.kind || x.group || x.version) && ids.some((id) => regexSelects(x, id)))) continue;
      if (!ids.some((id) => regexSelects(target.select, id))) continue;
      const create = target.options?.create === true;
      for (const fieldPath of fieldPaths) {
        const fields = lookup(r.object, splitFieldPath(fieldPath), create);
        if (fields.length === 0) throw fail(create ? `unable to find or create field "${fieldPath}" in replacement target` : `unable to find field "${fieldPath}" in replacement target`);
        for (const { holder, key } of fields) {
          let next = value;
          const options = target.options;
          if (options?.delimiter) {
            const current = holder[key];
            if (current && typeof current === 'object') throw fail('delimiter option can only be used with scalar nodes');
            const parts = current == null ? [''] : scalarText(current).split(options.delimiter);
            const index = Number(options.index ?? 0);
            const v = scalarText(value);
            if (index < 0) parts.unshift(v);
            else if (index >= parts.length) parts.push(v);
            else parts[index] = v;
            next = parts.join(options.delimiter);
          }
          holder[key] = holder[key] === null || holder[key] === undefined ? structuredClone(next) : retyped(holder[key], next);
        }
        r.chain.push({ file: source.file, field: 'replacements', nodePath: source.nodePath });
      }
    }
  }
}
