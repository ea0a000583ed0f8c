// RFC 6902 JSON patch with the rules of the library kustomize uses (evanphx/json-patch): `add`
// needs the parent to exist, `replace`/`remove` need the target, `-` appends, `test` compares.
// Hand-written because kustomize's error cases (which refuse a build) must be reproduced exactly.

export class JsonPatchError extends Error {}

export interface JsonPatchOperation {
  op: string;
  path: string;
  from?: string;
  value?: unknown;
}

function pointer(path: unknown): string[] {
  if (typeof path !== 'string') throw new JsonPatchError('operation has no path');
  if (path === '') return [];
  if (!path.startsWith('/')) throw new JsonPatchError(`invalid path ${path}`);
  return path
    .slice(1)
    .split('/')
    .map((k) => k.replace(/~1/g, '/').replace(/~0/g, '~'));
}

const isContainer = (v: unknown): v is Record<string, unknown> | unknown[] => !!v && typeof v === 'object';

function parentOf(doc: unknown, keys: string[], path: string): { parent: any; last: string } {
  let node: any = doc;
  for (const key of keys.slice(0, -1)) {
    if (!isContainer(node)) throw new JsonPatchError(`doc is missing path: "${path}"`);
    node = Array.isArray(node) ? node[arrayIndex(key, node.length - 1, path)] : node[key];
    if (node === undefined) throw new JsonPatchError(`doc is missing path: "${path}": missing value`);
  }
  if (!isContainer(node)) throw new JsonPatchError(`doc is missing path: "${path}"`);
  return { parent: node, last: keys[keys.length - 1] };
}

/** An array index; negative ones count from the end (json-patch v4 supports them). */
function arrayIndex(key: string, max: number, path: string): number {
  if (!/^-?(0|[1-9][0-9]*)$/.test(key)) throw new JsonPatchError(`invalid array index in ${path}`);
  let index = Number(key);
  if (index < 0) index += max + 1;
  if (index < 0 || index > max) throw new JsonPatchError(`array index out of bounds in ${path}`);
  return index;
}

function get(doc: unknown, path: string): unknown {
  let node: any = doc;
  for (const key of pointer(path)) {
    if (!isContainer(node)) return undefined;
    node = Array.isArray(node) ? node[Number(key)] : node[key];
  }
  return node;
}

function add(doc: unknown, path: string, value: unknown): unknown {
  const keys = pointer(path);
  if (keys.length === 0) return value;
  const { parent, last } = parentOf(doc, keys, path);
  if (Array.isArray(parent)) {
    const index = last === '-' ? parent.length : arrayIndex(last, parent.length, path);
    parent.splice(index, 0, value);
  } else parent[last] = value;
  return doc;
}

function remove(doc: unknown, path: string): unknown {
  const keys = pointer(path);
  const { parent, last } = parentOf(doc, keys, path);
  if (Array.isArray(parent)) parent.splice(arrayIndex(last, parent.length - 1, path), 1);
  else {
    if (!(last in parent)) throw new JsonPatchError(`unable to remove nonexistent key: ${last}: missing value`);
    delete parent[last];
  }
  return doc;
}

function replace(doc: unknown, path: string, value: unknown): unknown {
  const keys = pointer(path);
  if (keys.length === 0) return value;
  const { parent, last } = parentOf(doc, keys, path);
  if (Array.isArray(parent)) parent[arrayIndex(last, parent.length - 1, path)] = value;
  // evanphx/json-patch v4 (kustomize's) finds any key of a map, present or not: replace sets it.
  else parent[last] = value;
  return doc;
}

/** Applies operations to a copy of `doc`. */
export function applyJsonPatch(doc: unknown, operations: unknown[]): unknown {
  let result: unknown = structuredClone(doc);
  for (const raw of operations) {
    if (!raw || typeof raw !== 'object') throw new JsonPatchError('invalid operation');
    const op = raw as JsonPatchOperation;
    switch (op.op) {
      case 'add':
        result = add(result, op.path, structuredClone(op.value ?? null));
        break;
      case 'remove':
        result = remove(result, op.path);
        break;
      case 'replace':
        result = replace(result, op.path, structuredClone(op.value ?? null));
        break;
      case 'move': {
        const value = get(result, String(op.from));
        if (value === undefined) throw new JsonPatchError(`move operation does not apply: doc is missing from path: ${op.from}`);
        result = add(remove(result, String(op.from)), op.path, value);
        break;
      }
      case 'copy': {
        const value = get(result, String(op.from));
        if (value === undefined) throw new JsonPatchError(`copy operation does not apply: doc is missing from path: ${op.from}`);
        result = add(result, op.path, structuredClone(value));
        break;
      }
      case 'test':
        if (JSON.stringify(get(result, op.path)) !== JSON.stringify(op.value ?? null)) throw new JsonPatchError(`testing value ${op.path} failed`);
        break;
      default:
        throw new JsonPatchError(`unexpected kind: ${String(op.op)}`);
    }
  }
  return result;
}
