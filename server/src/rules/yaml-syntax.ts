import type { Rule, RuleFinding } from './types';

export const yamlSyntax: Rule = {
  id: 'yaml/syntax',
  defaultSeverity: 'error',
  description: 'YAML that does not parse.',
  help: 'Flux cannot apply a file that is not valid YAML; the whole Kustomization that includes it fails to build.',
  fix: '—',
  check(model) {
    const findings: RuleFinding[] = [];
    for (const file of model.files.values()) {
      for (const error of file.syntaxErrors) findings.push({ file: file.path, range: error.range, message: error.message });
    }
    return findings;
  },
};
