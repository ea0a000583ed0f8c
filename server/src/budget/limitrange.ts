// LimitRange defaults for containers, as the LimitRanger admission plugin applies them.
import { readResourceList, isMap } from './resource-list';
import type { BudgetProblem, ResourceList } from './types';

/** Default requests and limits a namespace's LimitRanges give to containers that set none. */
export interface ContainerDefaults {
  requests: ResourceList;
  limits: ResourceList;
}

/**
 * Reads LimitRange objects in namespace order. Each `type: Container` item is defaulted as the
 * API server stores it (default ← max, defaultRequest ← default, then ← min); within one
 * LimitRange a later item overrides an earlier one, and across LimitRanges the first one to
 * default a resource wins, because the admission plugin never overwrites a value already set.
 */
export function containerDefaults(limitRanges: readonly unknown[], problems: BudgetProblem[] = []): ContainerDefaults {
  const result: ContainerDefaults = { requests: new Map(), limits: new Map() };
  for (const limitRange of limitRanges) {
    const own: ContainerDefaults = { requests: new Map(), limits: new Map() };
    const items = isMap(limitRange) && isMap(limitRange.spec) ? limitRange.spec.limits : undefined;
    if (!Array.isArray(items)) continue;
    items.forEach((item, index) => {
      if (!isMap(item) || item.type !== 'Container') return;
      const path = ['spec', 'limits', index];
      const read = (field: string) => readResourceList(item[field], [...path, field], problems);
      const max = read('max');
      const min = read('min');
      const limits = read('default');
      const requests = read('defaultRequest');
      for (const [name, q] of max) if (!limits.has(name)) limits.set(name, q);
      for (const [name, q] of limits) if (!requests.has(name)) requests.set(name, q);
      for (const [name, q] of min) if (!requests.has(name)) requests.set(name, q);
      for (const [name, q] of limits) own.limits.set(name, q);
      for (const [name, q] of requests) own.requests.set(name, q);
    });
    for (const [name, q] of own.limits) if (!result.limits.has(name)) result.limits.set(name, q);
    for (const [name, q] of own.requests) if (!result.requests.has(name)) result.requests.set(name, q);
  }
  return result;
}
