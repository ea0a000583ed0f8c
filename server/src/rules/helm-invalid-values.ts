import { usableValuesSchema, schemaKeysAt, validateValues } from '../schema/values';
import { checkedReleases, deepestWritten, misplacedKey, placeholderOnPath, valueAt, valuesRange, written } from './helm-values';
import type { Fix, Rule, RuleFinding } from './types';

export const helmInvalidValues: Rule = {
  id: 'helm/invalid-values',
  defaultSeverity: 'error',
  description: "HelmRelease values that the chart's values.schema.json refuses (a wrong type, a value outside an enum, a missing required value, an unknown key where the schema allows none).",
  help:
    "Helm validates the merged values (the chart's defaults, then `valuesFrom`, then `spec.values`) against the chart's values.schema.json before it renders anything, so the release fails to install or upgrade. Only charts resolved from this repository or a chart cache are judged; values that Flux substitutes (`${VAR}`) or SOPS encrypts are not judged as written, and a missing required value is not reported when a `valuesFrom` source cannot be read here.",
  fix: 'An unknown key one typo away from a known one: rename it.',
  check(model) {
    const findings: RuleFinding[] = [];
    for (const release of checkedReleases(model)) {
      const { chart, merged, values, resource } = release;
      if (!usableValuesSchema(chart.schema)) continue;
      const about = `(chart ${chart.name}${chart.version ? ` ${chart.version}` : ''})`;
      for (const problem of validateValues(chart.name, chart.schema, merged.values)) {
        const path = problem.path;
        const required = problem.message.startsWith('Missing ');
        if (!required && written(values, path)) {
          if (placeholderOnPath(values, path)) continue;
          const unknownKey = problem.target === 'key' && problem.message.startsWith('Unknown field ') && typeof path[path.length - 1] === 'string';
          let message = `${problem.message} ${about}`;
          const fixes: Fix[] = [];
          if (unknownKey) {
            const key = String(path[path.length - 1]);
            const typo = /did you mean "([^"]+)"\?/.exec(problem.message)?.[1];
            const moved = typo ? undefined : misplacedKey(key, path.slice(0, -1), (p) => schemaKeysAt(chart.schema, p));
            if (moved) message = `${problem.message.replace(/; allowed fields: .*$/, '')}; did you mean ${moved}? ${about}`;
            if (typo) fixes.push({ title: `Rename ${key} to ${typo}`, changes: [{ kind: 'edit', file: resource.file, edits: [{ range: valuesRange(model, release, path, 'key'), newText: typo }] }], safe: false, preferred: true });
          }
          findings.push({ file: resource.file, range: valuesRange(model, release, path, problem.target), message, ...(fixes.length > 0 ? { fixes } : {}) });
          continue;
        }
        // Not written in spec.values: from a valuesFrom entry, the chart's defaults, or missing.
        const entry = required ? undefined : [...merged.fromEntries].reverse().find((e) => valueAt(e.values, path) !== undefined);
        if (entry) {
          const ref = resource.object?.spec?.valuesFrom?.[entry.index];
          findings.push({
            file: resource.file,
            range: model.rangeOf(resource, ['spec', 'valuesFrom', entry.index]),
            message: `In ${String(ref?.kind)} ${String(ref?.name)} (valuesFrom): ${problem.message} ${about}`,
          });
          continue;
        }
        // A default of the chart itself, or a required value nobody sets: only the latter is the release's to fix,
        // and only when every valuesFrom source was read (one of them may set it).
        if (!required || merged.unknown.length > 0) continue;
        if (placeholderOnPath(values, deepestWritten(values, path))) continue;
        const anchor = deepestWritten(values, path);
        const range = anchor.length > 0 || written(resource.object?.spec, ['values'])
          ? valuesRange(model, release, anchor, 'key')
          : model.rangeOf(resource, release.releaseChart.nodePath, 'key');
        findings.push({ file: resource.file, range, message: `${problem.message} ${about}` });
      }
    }
    return findings;
  },
};
