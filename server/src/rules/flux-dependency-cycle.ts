import type { DependencyIndex, Dependent } from '../model/dependencies';
import type { DependencyRef } from '../model/types';
import type { Rule, RuleFinding } from './types';

/** Names a cycle's message lists before it says how many more there are. */
const MAX_NAMES = 8;
/** Related locations of one finding (the other members of the cycle). */
const MAX_RELATED = 20;

export const fluxDependencyCycle: Rule = {
  id: 'flux/dependency-cycle',
  defaultSeverity: 'error',
  scope: 'structure',
  description: 'A cycle in dependsOn.',
  help: 'Every member of a dependsOn cycle waits for another forever; none of them is ever applied. One finding per cycle, on the dependsOn entry of its first member (by name); the other members are its related locations.',
  fix: '—',
  check(model) {
    const findings: RuleFinding[] = [];
    const dependencies = model.dependencies;
    const { kustomizations, helmReleases } = dependencies;
    for (const index of [kustomizations, helmReleases]) {
      for (const cycle of findCycles(index, (d, ref) => dependencies.targetsOf(d, ref))) {
        // One finding per cycle, its members named once (and capped), so the output grows with the
        // number of cycles, not with the square of their length.
        const [first, second] = [cycle[0], cycle[1 % cycle.length]];
        const ref = first.dependsOn.find((r) => r.name === second.name && r.namespace === second.namespace);
        const names = cycle.map((d) => d.name);
        const listed = names.length > MAX_NAMES ? [...names.slice(0, MAX_NAMES), `… ${names.length - MAX_NAMES} more`] : names;
        const kinds = `${first.resource.kind}s`;
        const others = cycle.slice(1);
        findings.push({
          file: first.resource.file,
          range: ref ? model.rangeOf(first.resource, ref.nodePath) : first.resource.range,
          message: `dependsOn cycle: ${[...listed, names[0]].join(' → ')}; none of these ${names.length > MAX_NAMES ? `${names.length} ` : ''}${kinds} will ever be applied.`,
          related: others.slice(0, MAX_RELATED).map((d) => ({ file: d.resource.file, range: d.resource.range, message: `${d.resource.kind} ${d.name} is part of the cycle` })),
        });
      }
    }
    return findings;
  },
};

/**
 * One cycle per strongly connected component (Tarjan's algorithm, iterative: a chain of 100,000
 * objects must not overflow the stack), as a walk along dependsOn edges from its first member.
 * `targetsOf` resolves an entry (the model's resolver); by default, by namespace and name in `index`.
 */
export function findCycles(
  index: DependencyIndex,
  targetsOf: (dependent: Dependent, ref: DependencyRef) => Dependent[] = (_, ref) => index.byKey.get(`${ref.namespace}/${ref.name}`) ?? [],
): Dependent[][] {
  const edges = new Map<Dependent, Dependent[]>();
  for (const d of index.dependents) edges.set(d, d.dependsOn.flatMap((ref) => targetsOf(d, ref)));
  let counter = 0;
  const order = new Map<Dependent, number>();
  const low = new Map<Dependent, number>();
  const stack: Dependent[] = [];
  const onStack = new Set<Dependent>();
  const cycles: Dependent[][] = [];
  for (const root of index.dependents) {
    if (order.has(root)) continue;
    // The call stack of the recursive algorithm, made explicit: a vertex and its next edge.
    const frames: { v: Dependent; next: number }[] = [];
    const enter = (v: Dependent) => {
      order.set(v, counter);
      low.set(v, counter++);
      stack.push(v);
      onStack.add(v);
      frames.push({ v, next: 0 });
    };
    enter(root);
    while (frames.length > 0) {
      const frame = frames[frames.length - 1];
      const { v } = frame;
      const successors = edges.get(v) ?? [];
      if (frame.next < successors.length) {
        const w = successors[frame.next++];
        if (!order.has(w)) enter(w);
        else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, order.get(w)!));
        continue;
      }
      frames.pop();
      const parent = frames[frames.length - 1];
      if (parent) low.set(parent.v, Math.min(low.get(parent.v)!, low.get(v)!));
      if (low.get(v) !== order.get(v)) continue;
      const component: Dependent[] = [];
      let w: Dependent;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      const selfLoop = component.length === 1 && successors.includes(v);
      if (component.length > 1 || selfLoop) cycles.push(cycleThrough(component, edges));
    }
  }
  return cycles;
}

/**
 * A shortest cycle through the component's first member (by name), found breadth-first inside the
 * component: a real cycle, every member once.
 */
function cycleThrough(component: Dependent[], edges: Map<Dependent, Dependent[]>): Dependent[] {
  const members = new Set(component);
  const start = component.reduce((a, b) => (a.name <= b.name ? a : b));
  const parent = new Map<Dependent, Dependent>();
  const queue: Dependent[] = [start];
  for (let i = 0; i < queue.length; i++) {
    const v = queue[i];
    for (const w of edges.get(v) ?? []) {
      if (!members.has(w)) continue;
      if (w === start) {
        const path: Dependent[] = [];
        for (let at: Dependent | undefined = v; at !== undefined; at = parent.get(at)) path.push(at);
        return path.reverse();
      }
      if (parent.has(w)) continue;
      parent.set(w, v);
      queue.push(w);
    }
  }
  return [start];
}
