// SARIF 2.1.0 as GitHub code scanning accepts it: one run, every rule with its help text.
import { ruleDocsUrl } from '../rules';
import type { Finding, RuleMeta, Severity } from '../rules/types';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', information: 'note', hint: 'note' };

export function toSarif(findings: readonly Finding[], rules: readonly RuleMeta[], version: string): object {
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'gitops-guardrails',
            version,
            informationUri: 'https://github.com/gitops-guardrails/gitops-guardrails',
            rules: rules.map((r) => ({
              id: r.id,
              name: r.id.replace(/[^a-z0-9]+(.)/gi, (_, c: string) => c.toUpperCase()),
              shortDescription: { text: r.description },
              fullDescription: { text: r.help },
              help: { text: `${r.help} Quick fix: ${r.fix}`, markdown: `${r.help}\n\n**Quick fix:** ${r.fix}` },
              helpUri: ruleDocsUrl(r.id),
              defaultConfiguration: { level: LEVEL[r.defaultSeverity] },
            })),
          },
        },
        results: findings.map((f) => ({
          ruleId: f.rule,
          ...(ruleIndex.has(f.rule) ? { ruleIndex: ruleIndex.get(f.rule) } : {}),
          level: LEVEL[f.severity],
          message: { text: f.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: relativeUri(f.file), uriBaseId: '%SRCROOT%' },
                region: {
                  startLine: f.range.start.line + 1,
                  startColumn: f.range.start.character + 1,
                  endLine: f.range.end.line + 1,
                  endColumn: f.range.end.character + 1,
                },
              },
            },
          ],
          ...(f.related && f.related.length > 0
            ? {
                relatedLocations: f.related.map((r, i) => ({
                  id: i,
                  message: { text: r.message },
                  physicalLocation: { artifactLocation: { uri: relativeUri(r.file), uriBaseId: '%SRCROOT%' }, region: { startLine: r.range.start.line + 1, startColumn: r.range.start.character + 1 } },
                })),
              }
            : {}),
        })),
      },
    ],
  };
}

/**
 * A repository path as a relative URI reference: each segment percent-encoded, so `#`, `?`, `%`,
 * `:` and spaces in file names stay part of the path (encodeURI would leave `#` and `?` to start
 * a fragment or a query).
 */
export function relativeUri(repoPath: string): string {
  return repoPath.split('/').map(encodeURIComponent).join('/');
}
