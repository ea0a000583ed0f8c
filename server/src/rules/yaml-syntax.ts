import { parsePlainDocuments } from '../model/limits';
import { fileRule, type Rule, type RuleFinding } from './types';
import { maskExpressions, parseExpressions } from '../model/build/envsubst';

export const yamlSyntax: Rule = fileRule(
  {
    id: 'yaml/syntax',
    defaultSeverity: 'error',
    description: 'YAML that does not parse, in a file a cluster applies or a kustomization lists.',
    help:
      'Flux cannot apply a file that is not valid YAML; the whole Kustomization that includes it fails to build. One finding per file, at its first problem. A manifest no cluster applies gets one information; templates (Helm chart templates, Jinja) and other tools\' YAML (CI workflows, Ansible, Taskfiles, compose files...) are not checked. Where only strict YAML refuses the text and kustomize (Go yaml) reads it, a warning. A file read only as configMapGenerator/secretGenerator data is not parsed by kustomize: nothing when it parses once its ${VAR} placeholders are substituted, else a warning (whoever reads it as YAML, a HelmRelease\'s valuesFrom, fails).',
    fix: '—',
  },
  // One file at a time, so the engine reuses the findings of unchanged files.
  (model, file) => {
    if (file.syntaxErrorCount === 0 && file.strictOnlyProblems.length === 0) return [];
    const kind = model.fileKind(file.path)?.kind;
    if (kind !== 'applied' && kind !== 'unapplied') return [];
    const applied = kind === 'applied';
    const first = file.syntaxErrors[0];
    const finding: RuleFinding = first
      ? { file: file.path, range: first.range, message: first.message + more(file.syntaxErrorCount - 1, 'syntax error') }
      : {
          file: file.path,
          range: file.strictOnlyProblems[0].range,
          message: file.strictOnlyProblems[0].message + more(file.strictOnlyProblems.length - 1, 'such value'),
          severity: 'warning',
        };
    // Generator data: kustomize copies the text into a ConfigMap or Secret unparsed, and Flux
    // substitutes ${VAR} in it before anyone reads it; only a reader that parses it as YAML fails.
    const data = model.generatorData(file.path);
    if (data !== undefined && first) {
      // A template another tool fills in (`token: {{ .API_KEY }}`) is not YAML until then.
      if (file.shape.kind === 'template' || parsesOnceSubstituted(file.text)) return [];
      finding.severity = 'warning';
      finding.message += `; kustomize does not parse it (${data} reads it as generator data), but whatever reads it as YAML (a HelmRelease's valuesFrom) fails`;
    }
    if (!applied) {
      finding.severity = 'information';
      finding.message += '; no cluster applies this file';
    }
    return [finding];
  },
);

/** Whether the text is YAML once each Flux `${VAR}` placeholder is a plain word of its length. */
function parsesOnceSubstituted(text: string): boolean {
  if (!text.includes('${')) return false;
  const placeholders = parseExpressions(text).filter((e) => !text.slice(e.start, e.end).includes('\n'));
  return parsePlainDocuments(maskExpressions(text, placeholders, (e) => 'x'.repeat(e.end - e.start))) !== undefined;
}

function more(count: number, what: string): string {
  return count <= 0 ? '' : ` (and ${count} more ${what}${count > 1 ? 's' : ''} in this file)`;
}
