import type { NodePath } from '../model/types';
import { isPlainMap } from '../model/charts/values';
import { closest } from '../schema/messages';
import { commentedKeys, usableValuesSchema, valuesDocumentation, type ValueDoc } from '../schema/values';
import { checkedReleases, misplacedKey, valuesRange } from './helm-values';
import type { Fix, Rule, RuleFinding } from './types';

export const helmUnknownValue: Rule = {
  id: 'helm/unknown-value',
  defaultSeverity: 'information',
  description: "A HelmRelease value whose key the chart's values.yaml does not have, where the chart's values are not free-form (charts without values.schema.json).",
  help:
    "Helm ignores a value the chart's templates never read: a misspelt or misplaced key (`tag:` beside `image:` instead of under it) silently keeps the default. Only charts resolved from this repository or a chart cache and without a values.schema.json are judged, and only inside maps whose defaults list their keys: a map that is empty in values.yaml (`podAnnotations: {}`), a list, the `global` map, subcharts' values, keys written commented out in values.yaml and maps handed to Kubernetes as they are (`resources`, `securityContext`, `affinity`, probes, annotations, labels) are free-form. Information: a template may read a key that values.yaml does not mention.",
  fix: 'A key one typo away from a known one: rename it.',
  check(model) {
    const findings: RuleFinding[] = [];
    for (const release of checkedReleases(model)) {
      const { chart, values, resource } = release;
      if (usableValuesSchema(chart.schema) || chart.valuesYaml === undefined) continue;
      const doc = valuesDocumentation(chart.valuesYaml);
      if (!doc?.children || doc.children.size === 0) continue;
      const documented = commentedKeys(chart.valuesYaml);
      const free = new Set(['global', ...(chart.subcharts ?? [])]);
      const keysAt = (path: NodePath): string[] | undefined => {
        const at = docAt(doc, path);
        return at?.children && at.children.size > 0 ? [...at.children.keys()] : undefined;
      };
      const about = `chart ${chart.name}${chart.version ? ` ${chart.version}` : ''}`;
      // An explicit stack: values may nest deeply.
      const stack: { map: Record<string, unknown>; docs: Map<string, ValueDoc>; path: NodePath }[] = [{ map: values, docs: doc.children, path: [] }];
      while (stack.length > 0) {
        const { map, docs, path } = stack.pop()!;
        for (const [key, value] of Object.entries(map)) {
          if (path.length === 0 && free.has(key)) continue;
          if (key.includes('${')) continue;
          const known = docs.get(key);
          if (known) {
            if (known.children && known.children.size > 0 && isPlainMap(value) && !PASS_THROUGH.test(key)) stack.push({ map: value, docs: known.children, path: [...path, key] });
            continue;
          }
          if (documented.has(key)) continue;
          const owner = path.length === 0 ? 'the top level' : path.join('.');
          const typo = closest(key, [...docs.keys()]);
          const moved = typo ? undefined : misplacedKey(key, path, keysAt);
          const hint = typo ? `; did you mean "${typo}"?` : moved ? `; did you mean ${moved}?` : '';
          const range = valuesRange(model, release, [...path, key], 'key');
          const fixes: Fix[] = typo ? [{ title: `Rename ${key} to ${typo}`, changes: [{ kind: 'edit', file: resource.file, edits: [{ range, newText: typo }] }], safe: false, preferred: true }] : [];
          findings.push({
            file: resource.file,
            range,
            message: `"${key}" is not a value of ${about} at ${owner} (its values.yaml has no such key there)${hint}`,
            ...(fixes.length > 0 ? { fixes } : {}),
          });
        }
      }
    }
    return findings;
  },
};

/**
 * Maps a chart hands to Kubernetes as they are (`toYaml .Values.resources`): their defaults show a
 * few of the fields Kubernetes allows, not all of them.
 */
const PASS_THROUGH = /^(resources|affinity|nodeSelector|tolerations|strategy|updateStrategy|topologySpreadConstraints|env|extraEnv|envFrom|dnsConfig|lifecycle)$|(SecurityContext|securityContext|Annotations|annotations|Labels|labels|Probe|probe|Resources|Affinity|Tolerations|NodeSelector)$/;

function docAt(doc: ValueDoc, path: NodePath): ValueDoc | undefined {
  let current: ValueDoc | undefined = doc;
  for (const step of path) current = typeof step === 'string' ? current?.children?.get(step) : undefined;
  return current;
}
