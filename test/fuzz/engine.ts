// The mutation fuzzer: real YAML (examples/ and, when present, the shared corpus, read in place)
// mutated the ways hostile and careless edits do, put into a model of the example repository, then
// run through every rule, the LSP features at random positions, the JSON output and the fixes.
// Invariants: nothing throws, JSON round-trips, work stays bounded by the input's size, no fix
// edits an encrypted file, and an applied fix does not offer itself again.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { runChecks } from '../../server/src/check';
import { applyTextEdits, safeFixes } from '../../server/src/fixes';
import { codeLenses } from '../../server/src/features/codeLens';
import { completion } from '../../server/src/features/completion';
import { definition } from '../../server/src/features/definition';
import { documentLinks } from '../../server/src/features/documentLinks';
import { hover } from '../../server/src/features/hover';
import { references } from '../../server/src/features/references';
import { documentSymbols, workspaceSymbols } from '../../server/src/features/symbols';
import { RepoModel } from '../../server/src/model/model';
import { toJson } from '../../server/src/output/json';
import { RULE_IDS } from '../../server/src/rules';
import type { Finding, Fix } from '../../server/src/rules/types';

export const EXAMPLE = path.resolve(__dirname, '../../examples/layered-repo');
export const CORPUS = process.env.GITOPS_GUARDRAILS_CORPUS ?? path.resolve(__dirname, '../../../shared/corpus');

/** YAML files under `root` (no .git), at most `limit`, each at most `maxBytes`. */
function yamlFiles(root: string, limit: number, maxBytes: number): string[] {
  const out: string[] = [];
  const stack = [root];
  while (stack.length > 0 && out.length < limit) {
    const dir = stack.pop()!;
    let names: string[];
    try {
      names = readdirSync(dir).sort();
    } catch {
      continue;
    }
    for (const name of names) {
      if (name === '.git' || name === 'node_modules') continue;
      const full = path.join(dir, name);
      let stat;
      try {
        stat = statSync(full);
      } catch {
        continue;
      }
      if (stat.isDirectory()) stack.push(full);
      else if (/\.ya?ml$/.test(name) && stat.size <= maxBytes) out.push(full);
    }
  }
  return out;
}

export interface Seeds {
  /** The example repository: repository path → text. */
  example: Map<string, string>;
  /** Texts to mutate: the example's, then the corpus's (when present). */
  texts: string[];
  corpusFiles: number;
}

export function loadSeeds(corpusLimit = 3000): Seeds {
  const example = new Map<string, string>();
  for (const file of yamlFiles(EXAMPLE, 10_000, 1 << 20)) example.set(path.relative(EXAMPLE, file).split(path.sep).join('/'), readFileSync(file, 'utf8'));
  const texts = [...example.values()];
  let corpusFiles = 0;
  for (const file of yamlFiles(CORPUS, corpusLimit, 64 * 1024)) {
    try {
      texts.push(readFileSync(file, 'utf8'));
      corpusFiles++;
    } catch {
      // Unreadable: skipped.
    }
  }
  return { example, texts, corpusFiles };
}

/** One mutation of a text; `pick` chooses among lines, sizes and names. */
export type Mutation =
  | { kind: 'flip'; at: number; byte: number }
  | { kind: 'delete-line'; at: number }
  | { kind: 'duplicate-line'; at: number }
  | { kind: 'indent'; at: number; by: number }
  | { kind: 'alias-bomb'; depth: number }
  | { kind: 'deep-nesting'; depth: number; flow: boolean }
  | { kind: 'huge-scalar'; at: number; size: number }
  | { kind: 'rename-key'; at: number; name: string };

export const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('delete-line' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('duplicate-line' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('indent' as const), at: fc.nat(), by: fc.integer({ min: -4, max: 4 }) }),
  fc.record({ kind: fc.constant('alias-bomb' as const), depth: fc.integer({ min: 2, max: 12 }) }),
  fc.record({ kind: fc.constant('deep-nesting' as const), depth: fc.integer({ min: 10, max: 5000 }), flow: fc.boolean() }),
  fc.record({ kind: fc.constant('huge-scalar' as const), at: fc.nat(), size: fc.integer({ min: 1000, max: 2_000_000 }) }),
  fc.record({
    kind: fc.constant('rename-key' as const),
    at: fc.nat(),
    name: fc.constantFrom('kind', 'apiVersion', 'metadata', 'name', 'namespace', 'spec', 'path', 'dependsOn', 'resources', 'sops', 'data', '<<', '', '"', '&a', '*a', '? x', '- '),
  }),
);

export function mutate(text: string, m: Mutation): string {
  const lines = text.split('\n');
  const line = (at: number) => at % Math.max(1, lines.length);
  switch (m.kind) {
    case 'flip': {
      if (text.length === 0) return String.fromCharCode(m.byte);
      const at = m.at % text.length;
      return text.slice(0, at) + String.fromCharCode(m.byte) + text.slice(at + 1);
    }
    case 'delete-line':
      lines.splice(line(m.at), 1);
      return lines.join('\n');
    case 'duplicate-line': {
      const at = line(m.at);
      lines.splice(at, 0, lines[at] ?? '');
      return lines.join('\n');
    }
    case 'indent': {
      const at = line(m.at);
      lines[at] = m.by >= 0 ? ' '.repeat(m.by) + lines[at] : lines[at].replace(new RegExp(`^ {0,${-m.by}}`), '');
      return lines.join('\n');
    }
    case 'alias-bomb': {
      // The billion laughs: each level lists the previous one ten times.
      const bomb = ['bomb0: &b0 [x, x, x, x, x, x, x, x, x, x]'];
      for (let i = 1; i < m.depth; i++) bomb.push(`bomb${i}: &b${i} [${Array(10).fill(`*b${i - 1}`).join(', ')}]`);
      const first = text.indexOf('\n---');
      const doc = first < 0 ? text : text.slice(0, first);
      return `${doc.trimEnd()}\nmetadata2:\n${bomb.map((l) => `  ${l}`).join('\n')}\n${first < 0 ? '' : text.slice(first)}`;
    }
    case 'deep-nesting': {
      const nested = m.flow ? `${'['.repeat(m.depth)}x${']'.repeat(m.depth)}` : Array.from({ length: Math.min(m.depth, 400) }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n') + ' x';
      return `${text.trimEnd()}\ndeep: ${m.flow ? nested : `\n${nested.replace(/^/gm, '  ')}`}\n`;
    }
    case 'huge-scalar': {
      const at = line(m.at);
      lines[at] = `${lines[at]}${'y'.repeat(m.size)}`;
      return lines.join('\n');
    }
    case 'rename-key': {
      const at = line(m.at);
      lines[at] = lines[at].replace(/^(\s*-?\s*)[^:#\s][^:#]*:/, `$1${m.name}:`);
      return lines.join('\n');
    }
  }
}

export const inputArb = (seeds: Seeds) =>
  fc.record({
    seed: fc.nat({ max: seeds.texts.length - 1 }),
    mutations: fc.array(mutationArb, { minLength: 1, maxLength: 3 }),
    /** Where the text goes: over an applied manifest of the example, or as a new file beside it. */
    target: fc.constantFrom('environments/apps/podinfo/deployment.yaml', 'environments/apps/podinfo/fuzz.yaml', 'clusters/staging/apps.yaml', 'environments/apps/podinfo/kustomization.yaml'),
    positions: fc.array(fc.record({ line: fc.nat(), character: fc.nat({ max: 200 }) }), { minLength: 3, maxLength: 3 }),
  });

export type Input = ReturnType<typeof inputArb> extends fc.Arbitrary<infer T> ? T : never;

export interface Stats {
  inputs: number;
  findings: number;
  maxFindings: number;
  ruleErrors: Map<string, number>;
  /** The mutations of each input on which some rule threw. */
  ruleErrorInputs: Mutation['kind'][][];
  fixesApplied: number;
}

export function newStats(): Stats {
  return { inputs: 0, findings: 0, maxFindings: 0, ruleErrors: new Map(), ruleErrorInputs: [], fixesApplied: 0 };
}

/** The example repository's model, shared by the inputs: each input edits it and puts it back. */
export function exampleModel(seeds: Seeds): RepoModel {
  const model = new RepoModel(EXAMPLE, RULE_IDS);
  for (const [file, text] of seeds.example) model.setFile(file, text);
  return model;
}

/**
 * Runs one input; throws on a broken invariant. Rule failures are not thrown here: the engine
 * reports them (they are counted in `stats.ruleErrors`, and the caller decides).
 */
export function runInput(model: RepoModel, seeds: Seeds, input: Input, stats: Stats, options: { fixes?: boolean } = {}): void {
  let text = seeds.texts[input.seed];
  for (const m of input.mutations) text = mutate(text, m);
  const before = new Map<string, string | undefined>();
  const set = (file: string, next: string | undefined) => {
    if (!before.has(file)) before.set(file, model.file(file)?.text ?? (model.kindOf(file) === 'file' ? '' : undefined));
    model.setFile(file, next);
  };
  let failed = false;
  const onRuleError = (rule: { id: string }, error?: unknown) => {
    if (process.env.FUZZ_SHOW_RULE_ERRORS && stats.ruleErrors.size === 0) console.error(`${rule.id} on ${input.target}:`, error);
    stats.ruleErrors.set(rule.id, (stats.ruleErrors.get(rule.id) ?? 0) + 1);
    if (!failed) stats.ruleErrorInputs.push(input.mutations.map((m) => m.kind));
    failed = true;
  };
  try {
    set(input.target, text);
    const findings = runChecks(model, { onRuleError });
    stats.inputs++;
    stats.findings += findings.length;
    stats.maxFindings = Math.max(stats.maxFindings, findings.length);
    // Bounded: the findings grow with the input, not beyond (the example alone has a few dozen).
    const lines = text.split('\n').length;
    const bound = 200 + 4 * lines;
    if (findings.length > bound) throw new Error(`${findings.length} findings for a ${lines}-line input (bound ${bound})`);
    const json = JSON.stringify(toJson(findings));
    JSON.parse(json);
    if (json.length > 1000 + 200 * text.length + 100_000) throw new Error(`${json.length} bytes of JSON for a ${text.length}-byte input`);
    // Every LSP feature, as the server calls it, at random positions (and past the end).
    for (const position of input.positions) {
      const at = { line: position.line % (lines + 2), character: position.character };
      hover(model, input.target, at);
      definition(model, input.target, at);
      references(model, input.target, at, true);
      completion(model, input.target, at, false);
      completion(model, input.target, at, true);
    }
    codeLenses(model, input.target);
    documentSymbols(model, input.target);
    documentLinks(model, input.target);
    workspaceSymbols(model, 'a');
    if (options.fixes !== false) checkFixes(model, findings, set, onRuleError, stats);
  } finally {
    for (const [file, text] of before) model.setFile(file, text);
  }
}

/** `--fix` in memory: applied, re-parsed and re-checked; no encrypted file edited; no fix offered again. */
function checkFixes(model: RepoModel, findings: Finding[], set: (file: string, text: string | undefined) => void, onRuleError: (rule: { id: string }) => void, stats: Stats): void {
  const fixes = safeFixes(findings).slice(0, 20);
  const applied = new Set<string>();
  for (const fix of fixes) {
    for (const change of fix.changes) {
      if (change.kind === 'edit' && model.file(change.file)?.sopsEncrypted) throw new Error(`a fix edits the SOPS-encrypted ${change.file}: ${fix.title}`);
    }
    applyFix(model, fix, set);
    applied.add(fixKey(fix));
    stats.fixesApplied++;
  }
  if (fixes.length === 0) return;
  const after = runChecks(model, { onRuleError });
  for (const finding of after) {
    const again = safeFixes([finding])[0];
    if (again && applied.has(fixKey(again))) throw new Error(`the fix "${again.title}" (${finding.rule}) is offered again after it was applied`);
  }
}

function fixKey(fix: Fix): string {
  return JSON.stringify([fix.title, fix.changes]);
}

function applyFix(model: RepoModel, fix: Fix, set: (file: string, text: string | undefined) => void): void {
  for (const change of fix.changes) {
    if (change.kind === 'create') set(change.file, change.text);
    else if (change.kind === 'delete') set(change.file, undefined);
    else set(change.file, applyTextEdits(model.file(change.file)?.text ?? '', change.edits));
  }
}
