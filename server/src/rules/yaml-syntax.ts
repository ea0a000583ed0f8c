import { fileRule, type Rule, type RuleFinding } from './types';

export const yamlSyntax: Rule = fileRule(
  {
    id: 'yaml/syntax',
    defaultSeverity: 'error',
    description: 'YAML that does not parse.',
    help: 'Flux cannot apply a file that is not valid YAML; the whole Kustomization that includes it fails to build.',
    fix: '—',
  },
  // One file at a time, so the engine reuses the findings of unchanged files.
  (model, one) => {
    const findings: RuleFinding[] = [];
    for (const file of [one]) {
      for (const error of file.syntaxErrors) findings.push({ file: file.path, range: error.range, message: error.message });
    }
    return findings;
  },
);
