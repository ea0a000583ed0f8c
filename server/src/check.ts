// Runs the rules over a model: configured severities, ignored paths and suppression comments.
// The language server and the CLI both call this, so they report the same findings.
import { CONFIG_FILE } from './model/config';
import type { RepoModel } from './model/model';
import { CONFIG_RULE_ID, RULES } from './rules';
import type { YamlFile } from './model/types';
import type { Finding, Rule, RuleFinding, Severity } from './rules/types';

export interface CheckOptions {
  rules?: readonly Rule[];
  /** Severities from the editor's settings; the repository's config wins over them. */
  severities?: Record<string, Severity | 'off'>;
  /** Called when a rule throws; the other rules still run. */
  onRuleError?: (rule: Rule, error: unknown) => void;
}

export function runChecks(model: RepoModel, options: CheckOptions = {}): Finding[] {
  const findings: Finding[] = [];
  const configured = model.config.rules;
  for (const problem of model.configProblems) {
    findings.push({ rule: CONFIG_RULE_ID, severity: 'error', file: CONFIG_FILE, range: problem.range, message: problem.message });
  }
  for (const rule of options.rules ?? RULES) {
    const severity = configured[rule.id] ?? options.severities?.[rule.id] ?? rule.defaultSeverity;
    if (severity === 'off') continue;
    let reported;
    try {
      reported = reuse(model, rule);
    } catch (error) {
      options.onRuleError?.(rule, error);
      continue;
    }
    // A configured severity overrides the one a rule picks for a particular finding.
    const forced = configured[rule.id] ?? options.severities?.[rule.id];
    for (const f of reported) {
      if (model.isIgnored(f.file)) continue;
      findings.push({ ...f, rule: rule.id, severity: (forced as Severity | undefined) ?? f.severity ?? severity });
    }
  }
  const suppressions = new Map<string, Suppressions>();
  const kept = findings.filter((f) => {
    let s = suppressions.get(f.file);
    if (!s) suppressions.set(f.file, (s = readSuppressions(model.file(f.file)?.text ?? '')));
    return !s.suppresses(f.rule, f.range.start.line);
  });
  return kept.sort(compareFindings);
}

const structureCache = new WeakMap<object, Map<string, { findings: RuleFinding[]; files: Map<string, YamlFile | undefined> }>>();

interface FileRuleState {
  graph: object;
  byPath: Map<string, { file: YamlFile; findings: RuleFinding[] }>;
  all: RuleFinding[];
}
const fileRuleStates = new WeakMap<RepoModel, Map<string, FileRuleState>>();

/** A rule's findings, reused from an earlier check where its scope says they cannot have changed. */
function reuse(model: RepoModel, rule: Rule): RuleFinding[] {
  const graph = model.graph;
  if (rule.scope === 'file' && rule.checkFile) {
    let states = fileRuleStates.get(model);
    if (!states) fileRuleStates.set(model, (states = new Map()));
    let state = states.get(rule.id);
    if (!state || state.graph !== graph) states.set(rule.id, (state = { graph, byPath: new Map(), all: [] }));
    // Only the files parsed since the last check are checked again.
    let changed = state.byPath.size !== model.files.size;
    for (const [path, file] of model.files) {
      const entry = state.byPath.get(path);
      if (entry?.file === file) continue;
      state.byPath.set(path, { file, findings: rule.checkFile(model, file) });
      changed = true;
    }
    if (changed) {
      for (const path of state.byPath.keys()) if (!model.files.has(path)) state.byPath.delete(path);
      state.all = [...state.byPath.values()].flatMap((e) => e.findings);
    }
    return state.all;
  }
  if (rule.scope === 'structure') {
    let byRule = structureCache.get(graph);
    if (!byRule) structureCache.set(graph, (byRule = new Map()));
    const cached = byRule.get(rule.id);
    // Ranges come from the files' texts: a finding is stale when a file it points into changed.
    if (cached && [...cached.files].every(([path, file]) => model.file(path) === file)) return cached.findings;
    const findings = rule.check(model);
    const files = new Map<string, YamlFile | undefined>();
    for (const f of findings) {
      files.set(f.file, model.file(f.file));
      for (const r of f.related ?? []) files.set(r.file, model.file(r.file));
      for (const fix of f.fixes ?? []) for (const change of fix.changes) files.set(change.file, model.file(change.file));
    }
    byRule.set(rule.id, { findings, files });
    return findings;
  }
  return rule.check(model);
}

export function compareFindings(a: Finding, b: Finding): number {
  return a.file.localeCompare(b.file) || a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character || a.rule.localeCompare(b.rule);
}

interface Suppressions {
  suppresses(rule: string, line: number): boolean;
}

const DIRECTIVE = /#\s*gitops-guardrails-disable-(next-line|line|file)\b([^\n#]*)/;

/** `# gitops-guardrails-disable-next-line [rule, ...]` and `# gitops-guardrails-disable-file [rule, ...]`. */
export function readSuppressions(text: string): Suppressions {
  const byLine = new Map<number, Set<string> | 'all'>();
  let file: Set<string> | 'all' | undefined;
  if (text.includes('gitops-guardrails-disable')) {
    text.split('\n').forEach((line, i) => {
      const match = DIRECTIVE.exec(line);
      if (!match) return;
      const ids = match[2].split(/[\s,]+/).filter(Boolean);
      const scope: Set<string> | 'all' = ids.length === 0 ? 'all' : new Set(ids);
      if (match[1] === 'file') file = merge(file, scope);
      else {
        const target = match[1] === 'next-line' ? i + 1 : i;
        byLine.set(target, merge(byLine.get(target), scope));
      }
    });
  }
  const covers = (scope: Set<string> | 'all' | undefined, rule: string) => scope === 'all' || (scope !== undefined && scope.has(rule));
  return { suppresses: (rule, line) => covers(file, rule) || covers(byLine.get(line), rule) };
}

function merge(a: Set<string> | 'all' | undefined, b: Set<string> | 'all'): Set<string> | 'all' {
  if (a === 'all' || b === 'all') return 'all';
  return new Set([...(a ?? []), ...b]);
}
