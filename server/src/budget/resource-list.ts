// Resource lists (`requests:` / `limits:` maps) read from YAML and combined per resource name.
import { formatQuantity } from './quantity-format';
import { add, max, tryParseQuantity, QuantityError, type Quantity } from './quantity';
import { parseExpressions, withDefaults } from '../model/build/envsubst';
import type { BudgetProblem, NodePath, ResourceList } from './types';

/** Reads a `requests:`/`limits:` map; unparsable entries are left out and reported. */
export function readResourceList(value: unknown, path: NodePath, problems: BudgetProblem[]): ResourceList {
  const list: ResourceList = new Map();
  if (!isMap(value)) return list;
  for (const [name, raw] of Object.entries(value)) {
    const q = readQuantity(raw, name, [...path, name], problems);
    if (q) list.set(name, q);
  }
  return list;
}

/**
 * One quantity; a Flux substitution counts as its default (reported as substituted) or, without
 * one, is left out and reported.
 */
export function readQuantity(raw: unknown, name: string, path: NodePath, problems: BudgetProblem[]): Quantity | undefined {
  if (typeof raw === 'string' && parseExpressions(raw).some((e) => !e.invalid)) {
    const expanded = withDefaults(raw);
    const fallback = expanded === undefined ? undefined : tryParseQuantity(expanded);
    if (fallback === undefined || fallback instanceof QuantityError) {
      problems.push({ path, message: `${name} is ${raw}, set by Flux substitution; not counted`, substituted: true });
      return undefined;
    }
    const shown = formatQuantity(fallback, name);
    problems.push({ path, message: `${name} is ${raw}, set by Flux substitution; counted as its default ${shown}`, substituted: true });
    return fallback;
  }
  const q = tryParseQuantity(raw);
  if (!(q instanceof QuantityError)) return q;
  problems.push({ path, message: `${name}: ${q.message}` });
  return undefined;
}

/** In-place sum, per resource name. */
export function addInto(target: ResourceList, source: ResourceList): void {
  for (const [name, q] of source) {
    const current = target.get(name);
    target.set(name, current ? add(current, q) : q);
  }
}

/** In-place maximum, per resource name. */
export function maxInto(target: ResourceList, source: ResourceList): void {
  for (const [name, q] of source) {
    const current = target.get(name);
    target.set(name, current ? max(current, q) : q);
  }
}

export function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
