// Runs the rules over a model: configured severities, ignored paths and suppression comments.
// The language server and the CLI both call this, so they report the same findings.
import { CONFIG_FILE } from './model/config';
import { refuseEncryptedEdits } from './fixes';
import type { RepoModel } from './model/model';
import { CONFIG_RULE_ID, RULE_FAILED_ID, RULES, UNREADABLE_ID } from './rules';
import type { YamlFile } from './model/types';
import type { Finding, Fix, Rule, RuleFinding, Severity } from './rules/types';

export interface CheckOptions {
  rules?: readonly Rule[];
  /** Severities from the editor's settings; the repository's config wins over them. */
  severities?: Record<string, Severity | 'off'>;
  /** Called when a rule throws (it is also reported as an internal/rule-failed finding); the other rules still run. */
  onRuleError?: (rule: Rule, error: unknown) => void;
}

export function runChecks(model: RepoModel, options: CheckOptions = {}): Finding[] {
  const steps = checkSteps(model, options);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * runChecks in steps, with `pause` awaited between them (the language server's first check: it
 * answers requests meanwhile). A step is the graph's derivation or one rule; `pause` receives
 * the findings of the rule just run (severities and ignored paths applied, suppression comments
 * not yet). The result is runChecks's; `pause` must not change the model.
 */
export async function runChecksInSteps(model: RepoModel, options: CheckOptions, pause: (ruleFindings: readonly Finding[]) => Promise<void>): Promise<Finding[]> {
  const steps = checkSteps(model, options);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    await pause(step.value);
  }
}

/** What runChecks does, yielding after the derivation of the graph and after each rule (what it found). */
function* checkSteps(model: RepoModel, options: CheckOptions): Generator<readonly Finding[], Finding[]> {
  const configured = model.config.rules;
  const queries = model.queries;
  const parts: Finding[][] = [];
  const problems = model.configProblems;
  if (problems.length > 0) {
    parts.push(queries.get('engine config findings', 'all', [problems], () => problems.map((problem): Finding => ({ rule: CONFIG_RULE_ID, severity: 'error', file: CONFIG_FILE, range: problem.range, message: problem.message }))));
  }
  const unreadable = model.unreadable;
  const unreadableSeverity = configured[UNREADABLE_ID] ?? options.severities?.[UNREADABLE_ID] ?? 'warning';
  if (unreadable.length > 0 && unreadableSeverity !== 'off') {
    parts.push(
      queries.get('engine unreadable findings', 'all', [unreadable, unreadableSeverity], () =>
        unreadable.map((problem): Finding => {
          const at = { line: problem.line ?? 0, character: 0 };
          return { rule: UNREADABLE_ID, severity: unreadableSeverity, file: problem.path || REPOSITORY, range: { start: at, end: at }, message: problem.message };
        }),
      ),
    );
  }
  const failedSeverity = configured[RULE_FAILED_ID] ?? options.severities?.[RULE_FAILED_ID] ?? 'error';
  // The derived graph, the costliest step of a first check, is a step of its own.
  void model.graph;
  yield parts.flat();
  for (const rule of options.rules ?? RULES) {
    const severity = configured[rule.id] ?? options.severities?.[rule.id] ?? rule.defaultSeverity;
    if (severity === 'off') continue;
    let reported: RuleFinding[];
    try {
      reported = reuse(model, rule, options);
    } catch (error) {
      options.onRuleError?.(rule, error);
      const failed = ruleFailure(rule, error, REPOSITORY);
      const part: Finding[] = failedSeverity !== 'off' ? [{ ...failed, rule: RULE_FAILED_ID, severity: failedSeverity }] : [];
      parts.push(part);
      yield part;
      continue;
    }
    // A configured severity overrides the one a rule picks for a particular finding.
    const forced = (configured[rule.id] ?? options.severities?.[rule.id]) as Severity | undefined;
    // The same findings under the same configuration: the same engine findings as last time.
    parts.push(
      queries.get('engine findings', rule.id, [reported, severity, forced, failedSeverity, model.config], () => {
        const findings: Finding[] = [];
        for (const f of reported) {
          if (model.isIgnored(f.file)) continue;
          if (failures.has(f)) {
            if (failedSeverity !== 'off') findings.push({ ...f, rule: RULE_FAILED_ID, severity: failedSeverity });
            continue;
          }
          const finding: Finding = { ...f, rule: rule.id, severity: forced ?? f.severity ?? severity };
          if (f.fixes) finding.fixes = refuseEncryptedEdits(f.fixes, (file) => model.file(file)?.sopsEncrypted === true).map(shortTitle);
          findings.push(finding);
        }
        return findings;
      }),
    );
    yield parts[parts.length - 1];
  }
  // Sorting is the costly step on a large repository: skipped when every rule's findings are the same arrays.
  const sorted = queries.get('engine sorted', 'all', parts, () => parts.flat().sort(compareFindings));
  // Suppression comments live in the files' texts: filtered again when the findings or the text of a file with findings changed.
  const findings = queries.get('engine suppressed', 'all', [sorted], (read) => sorted.filter((f) => !suppressed(model, f, read.file(f.file))));
  return [...findings];
}

/** Whether a suppression comment of its file (`file`: the model's, as read) silences `finding`. */
export function suppressed(model: RepoModel, finding: Finding, file: YamlFile | undefined = model.file(finding.file)): boolean {
  const suppressions = file ? model.queries.get('suppressions', file, [], () => readSuppressions(file.text)) : NO_SUPPRESSIONS;
  return suppressions.suppresses(finding.rule, finding.range.start.line);
}

/** Where a failure that no file can be named for is reported: the repository itself. */
const REPOSITORY = '.';

/** The failure findings among a rule's findings (reported as internal/rule-failed). */
const failures = new WeakSet<RuleFinding>();

/** A rule that threw, as a finding; the message names the rule and the error, capped (it must not quote a file). */
function ruleFailure(rule: Rule, error: unknown, file: string): RuleFinding {
  const reason = String((error as Error)?.message ?? error).split('\n')[0].replace(/[\u0000-\u001f\u007f]/g, ' ');
  const finding: RuleFinding = {
    file,
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    message: `Rule ${rule.id} failed on ${file === REPOSITORY ? 'this repository' : 'this file'}, so its findings are missing: ${(error as Error)?.name ?? 'Error'}: ${reason.length > 160 ? reason.slice(0, 160) + '…' : reason}`,
  };
  failures.add(finding);
  return finding;
}

/** A rule's findings, reused from an earlier check where its scope says they cannot have changed. */
function reuse(model: RepoModel, rule: Rule, options: CheckOptions): RuleFinding[] {
  const graph = model.graph;
  if (rule.scope === 'file' && rule.checkFile) {
    // Only the files changed since the last check are checked again; a file the rule throws on is
    // a failure finding on that file, and the rule's other files keep their findings.
    const checkFile = (file: YamlFile): RuleFinding[] => {
      try {
        return rule.checkFile!(model, file);
      } catch (error) {
        options.onRuleError?.(rule, error);
        return [ruleFailure(rule, error, file.path)];
      }
    };
    const { byPath, version } = model.queries.perFile(`rule ${rule.id}`, [graph], checkFile, (findings) => findings.length === 0);
    // Joined again only when some file's findings went from or to non-empty.
    return model.queries.get('file rule findings', rule.id, [version], () => [...byPath.values()].flat());
  }
  if (rule.scope === 'structure') {
    // Kept while the derived graph stands; ranges come from the files' texts, so the findings are
    // stale when a file they point into changed: those files are the query's reads.
    return model.queries.get('structure findings', rule.id, [graph], (read) => {
      const findings = rule.check(model);
      for (const f of findings) {
        read.file(f.file);
        for (const r of f.related ?? []) read.file(r.file);
        for (const fix of f.fixes ?? []) for (const change of fix.changes) read.file(change.file);
      }
      return findings;
    });
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

const NO_SUPPRESSIONS = readSuppressions('');

function merge(a: Set<string> | 'all' | undefined, b: Set<string> | 'all'): Set<string> | 'all' {
  if (a === 'all' || b === 'all') return 'all';
  return new Set([...(a ?? []), ...b]);
}

/** The longest fix title: the lightbulb cuts longer ones off. Rules say what and where briefly; this is the guard. */
export const MAX_FIX_TITLE = 80;

function shortTitle(fix: Fix): Fix {
  return fix.title.length <= MAX_FIX_TITLE ? fix : { ...fix, title: `${fix.title.slice(0, MAX_FIX_TITLE - 1)}…` };
}
