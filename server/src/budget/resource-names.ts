// What a resource name measures, which decides how its quantities are printed and rounded.

export type ResourceClass = 'cpu' | 'bytes' | 'count';

/**
 * Classifies container resource names (`cpu`, `memory`, `hugepages-2Mi`, `nvidia.com/gpu`) and
 * ResourceQuota names (`requests.cpu`, `limits.memory`, `gold.storageclass.storage.k8s.io/requests.storage`).
 */
export function resourceClass(name: string): ResourceClass {
  const base = baseResourceName(name);
  if (base === 'cpu') return 'cpu';
  if (base === 'memory' || base === 'ephemeral-storage' || base === 'storage' || base.startsWith('hugepages-')) {
    return 'bytes';
  }
  return 'count';
}

/** The container resource a quota name is about: `limits.cpu` → `cpu`, `requests.nvidia.com/gpu` → `nvidia.com/gpu`. */
export function baseResourceName(name: string): string {
  const afterClass = name.includes('.storageclass.storage.k8s.io/') ? name.slice(name.indexOf('/') + 1) : name;
  return afterClass.replace(/^(requests|limits)\./, '');
}
