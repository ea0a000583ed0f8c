import type { Dependencies, DependencyIndex, Dependent } from '../model/dependencies';
import type { Rule, RuleFinding } from './types';

export const fluxDependencyCycle: Rule = {
  id: 'flux/dependency-cycle',
  defaultSeverity: 'error',
  scope: 'structure',
  description: 'A cycle in dependsOn.',
  help: 'Every member of a dependsOn cycle waits for another forever; none of them is ever applied.',
  fix: '—',
  check(model) {
    const findings: RuleFinding[] = [];
    const dependencies = model.dependencies;
    const { kustomizations, helmReleases } = dependencies;
    for (const index of [kustomizations, helmReleases]) {
      for (const cycle of findCycles(index, dependencies)) {
        const names = cycle.map((d) => d.name);
        const description = [...names, names[0]].join(' → ');
        cycle.forEach((member, i) => {
          const next = cycle[(i + 1) % cycle.length];
          const ref = member.dependsOn.find((r) => r.name === next.name && r.namespace === next.namespace);
          if (!ref) return;
          findings.push({
            file: member.resource.file,
            range: model.rangeOf(member.resource, ref.nodePath),
            message: `dependsOn cycle: ${description}; none of these ${member.resource.kind}s will ever be applied.`,
            related: cycle.filter((d) => d !== member).map((d) => ({ file: d.resource.file, range: d.resource.range, message: `${d.resource.kind} ${d.name} is part of the cycle` })),
          });
        });
      }
    }
    return findings;
  },
};

/** Elementary cycles through strongly connected components (Tarjan), one path per component. */
function findCycles(index: DependencyIndex, dependencies: Dependencies): Dependent[][] {
  const edges = new Map<Dependent, Dependent[]>();
  for (const d of index.dependents) edges.set(d, d.dependsOn.flatMap((ref) => dependencies.targetsOf(d, ref)));
  let counter = 0;
  const order = new Map<Dependent, number>();
  const low = new Map<Dependent, number>();
  const stack: Dependent[] = [];
  const onStack = new Set<Dependent>();
  const cycles: Dependent[][] = [];
  const visit = (v: Dependent) => {
    order.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!order.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, order.get(w)!));
    }
    if (low.get(v) === order.get(v)) {
      const component: Dependent[] = [];
      let w: Dependent;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      const selfLoop = component.length === 1 && (edges.get(v) ?? []).includes(v);
      if (component.length > 1 || selfLoop) cycles.push(orderAsPath(component, edges));
    }
  };
  for (const d of index.dependents) if (!order.has(d)) visit(d);
  return cycles;
}

/** Orders a strongly connected component as a walk that follows dependsOn edges. */
function orderAsPath(component: Dependent[], edges: Map<Dependent, Dependent[]>): Dependent[] {
  const members = new Set(component);
  const start = component.reduce((a, b) => (a.name <= b.name ? a : b));
  const path = [start];
  const seen = new Set([start]);
  let current = start;
  for (;;) {
    const next = (edges.get(current) ?? []).find((w) => members.has(w) && !seen.has(w));
    if (!next) break;
    path.push(next);
    seen.add(next);
    current = next;
  }
  return path;
}
