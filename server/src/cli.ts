// `gitops-guardrails`: the same model and rules as the language server, for CI.
import * as path from 'node:path';
import { promises as fs } from 'node:fs';
import { runChecks } from './check';
import { safeFixes, writeFix } from './fixes';
import { RepoModel } from './model/model';
import { cacheDir, CACHE_DIR_ENV, ParseCache } from './model/parse-cache';
import { stopIdleParseWorkers } from './model/parse-pool';
import { formatText, printable } from './output/text';
import { toJson } from './output/json';
import { toSarif } from './output/sarif';
import { indexJson } from './output/index-json';
import { RULE_IDS, RULES } from './rules';
import { chartStores } from './charts/stores';
import { buildKustomization, modelBuildInput, renderCluster } from './model/build';
import { inKustomizeOrder, renderedYaml, sourceLine, toYaml } from './model/build/output';
import { VERSION } from './version';
import { chartStoreInputs, readResults, storeIfUnchanged, workspaceDigest } from './result-cache';
import { applyBaseline, baselineOf, formatBaseline, parseBaseline } from './baseline';
import type { Finding } from './rules/types';
import { FIX_LOCK_FILE, withRepositoryLock, writeFileAtomic } from './writes';

export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;

/** A bound on --fix passes: each applies what is safe, then the repository is checked again. */
const MAX_FIX_PASSES = 100;

/** How long `--fix` waits for another `--fix` run on the same repository before giving up (exit 2). */
const FIX_LOCK_TIMEOUT_MS = 120_000;

export interface CliIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  cwd: string;
  env: NodeJS.ProcessEnv;
}

const USAGE = `Usage:
  gitops-guardrails check [DIR] [--format text|json|sarif] [--fix] [--baseline FILE] [--no-cache]
  gitops-guardrails index [DIR] --json
  gitops-guardrails build FOLDER [--root DIR]
  gitops-guardrails render [DIR] --cluster NAME [--kustomization NAMESPACE/NAME] [--format yaml|json]
  gitops-guardrails charts pull [DIR]
  gitops-guardrails sops encrypt|decrypt FILE [-i]
  gitops-guardrails --version

check exits 0 when no finding is an error, 1 when one is, 2 on a usage or I/O failure.
check keeps what it parsed and its findings in a cache (\$${CACHE_DIR_ENV}, else the user's cache
folder): the next run answers from it when no file, setting or chart changed, else parses only the
files that changed; --no-cache neither reads nor writes it.
--fix waits for another --fix run on the same DIR (lock file ${FIX_LOCK_FILE}).
--baseline FILE: when FILE does not exist, write every current finding to it (accepted, exit 0);
when it does, report only the findings it does not list (matched by rule, file and message).
build prints what \`kustomize build\` (as Flux runs it) makes of a folder; the repository is the
nearest folder above it with .git, or --root. It exits 2, with the reason, when kustomize would
refuse the folder or when part of it cannot be seen (a remote base, a Helm chart).
render prints the objects each Flux Kustomization of a cluster applies, each with its source;
it exits 2 when a Kustomization cannot be rendered (it still prints the others).
charts pull fetches every HelmRelease's chart from its Helm repository or OCI registry into the
chart cache (GITOPS_GUARDRAILS_CACHE_DIR), never a version already there; check reads that cache
and the Helm cache (HELM_CACHE_HOME) offline. It exits 1 when a fetch failed.
`;

export async function main(argv: string[], io: CliIO): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'check':
        return await check(rest, io);
      case 'index':
        return await index(rest, io);
      case 'build':
        return await build(rest, io);
      case 'render':
        return await render(rest, io);
      case 'charts': {
        const { runChartsCommand } = await import('./charts/cli');
        return await runChartsCommand(rest, io);
      }
      case 'sops': {
        const { runSopsCommand } = await import('./sops/cli');
        return await runSopsCommand(rest, io);
      }
      case '--version':
      case 'version':
        io.stdout(`${VERSION}\n`);
        return EXIT_OK;
      case '--help':
      case '-h':
      case 'help':
        io.stdout(USAGE);
        return EXIT_OK;
      default:
        io.stderr(command ? `Unknown command "${command}".\n${USAGE}` : USAGE);
        return EXIT_USAGE;
    }
  } catch (error) {
    // Bounded and printable: an error may quote a path or a pattern from the repository.
    const message = String((error as Error)?.message ?? error);
    io.stderr(`gitops-guardrails: ${printable(message.length > 500 ? `${message.slice(0, 500)}…` : message)}\n`);
    return EXIT_USAGE;
  }
}

interface CheckArgs {
  dir: string;
  format: 'text' | 'json' | 'sarif';
  fix: boolean;
  baseline?: string;
  /** Read and write the parse cache (model/parse-cache.ts); --no-cache turns it off. */
  cache: boolean;
}

function parseCheckArgs(args: string[], io: CliIO): CheckArgs | string {
  let dir: string | undefined;
  let format: CheckArgs['format'] = 'text';
  let fix = false;
  let baseline: string | undefined;
  let cache = true;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--fix') fix = true;
    else if (arg === '--no-cache') cache = false;
    else if (arg === '--baseline' || arg.startsWith('--baseline=')) {
      const value = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : args[++i];
      if (!value) return '--baseline takes a file name.';
      baseline = path.resolve(io.cwd, value);
    }    else if (arg === '--format' || arg.startsWith('--format=')) {
      const value = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : args[++i];
      if (value !== 'text' && value !== 'json' && value !== 'sarif') return `--format takes text, json or sarif, not "${value ?? ''}".`;
      format = value;
    } else if (arg.startsWith('-')) return `Unknown option "${arg}".`;
    else if (dir === undefined) dir = arg;
    else return `Only one directory can be checked, got "${dir}" and "${arg}".`;
  }
  return { dir: path.resolve(io.cwd, dir ?? '.'), format, fix, baseline, cache };
}

/**
 * The repository's model, with the chart stores of this environment (read offline; nothing is
 * fetched); with `cache`, parsed through the parse cache, which is then saved.
 */
export async function loadModel(dir: string, env: NodeJS.ProcessEnv, cache = false): Promise<RepoModel> {
  const stat = await fs.stat(dir).catch(() => undefined);
  if (!stat?.isDirectory()) throw new Error(`${dir} is not a directory.`);
  const parseCache = cache ? await ParseCache.open(cacheDir(undefined, env), dir) : undefined;
  const model = await RepoModel.load(dir, RULE_IDS, undefined, parseCache ? { cache: parseCache } : {});
  // One load per command: the parse workers' heaps are freed now, not carried to the peak.
  stopIdleParseWorkers();
  await parseCache?.save();
  model.setChartStores(chartStores(env).stores);
  return model;
}

async function check(args: string[], io: CliIO): Promise<number> {
  const parsed = parseCheckArgs(args, io);
  if (typeof parsed === 'string') {
    io.stderr(`${parsed}\n${USAGE}`);
    return EXIT_USAGE;
  }
  if (!(await fs.stat(parsed.dir).catch(() => undefined))?.isDirectory()) throw new Error(`${parsed.dir} is not a directory.`);
  let findings = parsed.fix
    ? await withRepositoryLock(parsed.dir, { timeoutMs: FIX_LOCK_TIMEOUT_MS, onWait: (holder) => io.stderr(`gitops-guardrails: waiting for another --fix run${holder ? ` (process ${holder.slice(0, 20)})` : ''} on this repository to finish\n`) }, () => checkAndFix(parsed.dir, io, parsed.cache))
    : await checkOnce(parsed.dir, io, parsed.cache);
  if (parsed.baseline) findings = await withBaseline(parsed.baseline, findings, io);
  if (parsed.format === 'json') io.stdout(JSON.stringify(toJson(findings), null, 2) + '\n');
  else if (parsed.format === 'sarif') io.stdout(JSON.stringify(toSarif(findings, RULES, VERSION), null, 2) + '\n');
  else io.stdout(formatText(findings));
  return findings.some((f) => f.severity === 'error') ? EXIT_FINDINGS : EXIT_OK;
}

/**
 * The findings of a check: with the cache, the stored result when nothing it depends on changed
 * (result-cache.ts), else a check whose result is then stored.
 */
async function checkOnce(dir: string, io: CliIO, cache: boolean): Promise<Finding[]> {
  const report = ruleErrorReporter(io);
  if (!cache) return runChecks(await loadModel(dir, io.env, false), { onRuleError: report });
  const folder = cacheDir(undefined, io.env);
  const inputs = { external: chartStoreInputs(io.env) };
  const digest = await workspaceDigest(dir, inputs).catch(() => undefined);
  const stored = digest === undefined ? undefined : await readResults(folder, dir, digest);
  if (stored) return stored;
  let failed = false;
  const findings = runChecks(await loadModel(dir, io.env, true), {
    onRuleError: (rule, error) => {
      failed = true;
      report(rule, error);
    },
  });
  await storeIfUnchanged(folder, dir, inputs, digest, failed ? undefined : findings);
  return findings;
}

/** The findings `file` does not accept; writes it with every finding when it does not exist. */
async function withBaseline(file: string, findings: Finding[], io: CliIO): Promise<Finding[]> {
  const text = await fs.readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw new Error(`cannot read the baseline ${file}: ${error.code ?? error.message}`);
  });
  if (text === undefined) {
    await writeFileAtomic(file, formatBaseline(baselineOf(findings)));
    io.stderr(`gitops-guardrails: wrote the baseline ${file}: ${findings.length} finding(s) accepted.\n`);
    return [];
  }
  const baseline = parseBaseline(text);
  if ('error' in baseline) throw new Error(`the baseline ${file} is not valid: ${baseline.error}`);
  const { shown, accepted, stale } = applyBaseline(findings, baseline);
  io.stderr(`gitops-guardrails: ${accepted} finding(s) accepted by the baseline ${file}` + (stale > 0 ? `; ${stale} of its entries match nothing any more (delete the file to write it anew)` : '') + '.\n');
  return shown;
}

function ruleErrorReporter(io: CliIO) {
  return (rule: { id: string }, error: unknown) => io.stderr(`gitops-guardrails: rule ${rule.id} failed: ${printable(String((error as Error)?.message ?? error).split('\n')[0].slice(0, 200))}\n`);
}

/**
 * `check --fix`, under the repository's fix lock. Fixes can enable or overlap each other: apply a
 * pass, update the model with the files it wrote and check again, until nothing safe is left. Each
 * file is read again right before it is edited; a fix whose file changed since the check, or that
 * would edit a SOPS-encrypted file, is skipped with the reason.
 */
async function checkAndFix(dir: string, io: CliIO, cache: boolean) {
  const onRuleError = ruleErrorReporter(io);
  const model = await loadModel(dir, io.env, cache);
  let findings = runChecks(model, { onRuleError });
  const reported = new Set<string>();
  const skip = (title: string, reason: string) => {
    const line = `skipped: ${printable(title)}: ${printable(reason)}\n`;
    if (!reported.has(line)) io.stderr(line);
    reported.add(line);
  };
  for (let pass = 0; pass < MAX_FIX_PASSES; pass++) {
    for (const finding of findings) for (const fix of finding.fixes ?? []) if (fix.safe && fix.refused) skip(fix.title, fix.refused);
    const fixes = safeFixes(findings);
    if (fixes.length === 0) break;
    const written = new Set<string>();
    for (const fix of fixes) {
      const outcome = await writeFix(dir, fix, (file) => model.file(file)?.text);
      outcome.changed.forEach((file) => written.add(file));
      if (outcome.skipped) skip(fix.title, outcome.skipped);
      else if (outcome.changed.length > 0) io.stderr(`fixed: ${printable(fix.title)} (${printable(outcome.changed.join(', '))})\n`);
    }
    // Nothing written: the remaining fixes were skipped and would be again.
    if (written.size === 0) break;
    for (const file of written) {
      const text = await fs.readFile(path.join(dir, file), 'utf8').catch(() => undefined);
      model.setFile(file, text);
    }
    findings = runChecks(model, { onRuleError });
  }
  return findings;
}

async function index(args: string[], io: CliIO): Promise<number> {
  const dirs = args.filter((a) => !a.startsWith('-'));
  const unknown = args.filter((a) => a.startsWith('-') && a !== '--json');
  if (unknown.length > 0 || dirs.length > 1) {
    io.stderr(`${unknown.length > 0 ? `Unknown option "${unknown[0]}".` : 'Only one directory can be indexed.'}\n${USAGE}`);
    return EXIT_USAGE;
  }
  const model = await loadModel(path.resolve(io.cwd, dirs[0] ?? '.'), io.env);
  io.stdout(JSON.stringify(indexJson(model), null, 2) + '\n');
  return EXIT_OK;
}

/** The repository a path lies in: the nearest folder above it (itself included) with `.git`. */
async function repositoryOf(folder: string): Promise<string | undefined> {
  for (let dir = folder; ; dir = path.dirname(dir)) {
    if (await fs.stat(path.join(dir, '.git')).catch(() => undefined)) return dir;
    if (path.dirname(dir) === dir) return undefined;
  }
}

async function build(args: string[], io: CliIO): Promise<number> {
  let target: string | undefined;
  let root: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--root' || arg.startsWith('--root=')) root = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : args[++i];
    else if (arg.startsWith('-')) {
      io.stderr(`Unknown option "${arg}".\n${USAGE}`);
      return EXIT_USAGE;
    } else if (target === undefined) target = arg;
    else {
      io.stderr(`Only one folder can be built, got "${target}" and "${arg}".\n${USAGE}`);
      return EXIT_USAGE;
    }
  }
  if (target === undefined) {
    io.stderr(`build needs a folder.\n${USAGE}`);
    return EXIT_USAGE;
  }
  const folder = path.resolve(io.cwd, target);
  const stat = await fs.stat(folder).catch(() => undefined);
  if (!stat?.isDirectory()) throw new Error(`${folder} is not a directory.`);
  const repository = root !== undefined ? path.resolve(io.cwd, root) : ((await repositoryOf(folder)) ?? folder);
  const relative = path.relative(repository, folder).split(path.sep).join('/');
  if (relative.startsWith('..')) throw new Error(`${folder} is not inside ${repository}.`);
  const model = await loadModel(repository, io.env);
  const out = buildOutput(model, relative);
  if (out.stderr) io.stderr(out.stderr);
  if (out.stdout) io.stdout(out.stdout);
  return out.code;
}

/**
 * What `build` prints for one folder of a loaded model: kustomize's output on stdout (exit 0), or
 * why it cannot be built on stderr (exit 2). scripts/compare-unseen.ts compares it with kubectl.
 */
export function buildOutput(model: RepoModel, relative: string): { code: number; stdout: string; stderr: string } {
  const result = buildKustomization(modelBuildInput(model), relative);
  if (result.error) {
    const where = result.error.source.file;
    return { code: EXIT_USAGE, stdout: '', stderr: `gitops-guardrails: kustomize would refuse ${relative || '.'}: ${result.error.message} (${where})\n` };
  }
  if (result.unresolved.length > 0) {
    return { code: EXIT_USAGE, stdout: '', stderr: result.unresolved.map((u) => `gitops-guardrails: cannot build ${relative || '.'}: ${u.reason} (${u.source.file})\n`).join('') };
  }
  return { code: EXIT_OK, stdout: toYaml(inKustomizeOrder(result.objects)), stderr: '' };
}

async function render(args: string[], io: CliIO): Promise<number> {
  let dir: string | undefined;
  let cluster: string | undefined;
  let only: string | undefined;
  let format = 'yaml';
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const value = () => (arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : args[++i]);
    if (arg === '--cluster' || arg.startsWith('--cluster=')) cluster = value();
    else if (arg === '--kustomization' || arg.startsWith('--kustomization=')) only = value();
    else if (arg === '--format' || arg.startsWith('--format=')) format = value() ?? '';
    else if (arg.startsWith('-')) {
      io.stderr(`Unknown option "${arg}".\n${USAGE}`);
      return EXIT_USAGE;
    } else if (dir === undefined) dir = arg;
    else {
      io.stderr(`Only one directory can be rendered, got "${dir}" and "${arg}".\n${USAGE}`);
      return EXIT_USAGE;
    }
  }
  if (format !== 'yaml' && format !== 'json') {
    io.stderr(`--format takes yaml or json, not "${format}".\n${USAGE}`);
    return EXIT_USAGE;
  }
  const model = await loadModel(path.resolve(io.cwd, dir ?? '.'), io.env);
  const clusters = model.graph.clusters;
  const target = clusters.find((c) => c.name === cluster);
  if (!target) {
    io.stderr(`${cluster === undefined ? 'render needs --cluster.' : `No cluster "${cluster}".`} Clusters: ${clusters.map((c) => c.name).join(', ') || 'none'}.\n`);
    return EXIT_USAGE;
  }
  const renders = renderCluster(model, target, only);
  if (only !== undefined && renders.length === 0) {
    io.stderr(`No Flux Kustomization ${only} in cluster ${target.name}.\n`);
    return EXIT_USAGE;
  }
  let failed = false;
  const documents: string[] = [];
  const json: unknown[] = [];
  for (const { kustomization: ks, result } of renders) {
    const name = `${ks.namespace}/${ks.name}`;
    if (!result || result.error || result.unresolved.length > 0) {
      failed = true;
      const reason = !result
        ? `cannot be rendered: ${ks.unresolvedReason ?? 'its folder is not known'}`
        : result.error
          ? `cannot be rendered: ${result.error.message} (${result.error.source.file})`
          : `is incomplete: ${result.unresolved.map((u) => `${u.reason} (${u.source.file})`).join('; ')}`;
      io.stderr(`gitops-guardrails: Kustomization ${name} ${reason}\n`);
      if (!result || result.error) continue;
    }
    if (format === 'json') {
      for (const o of inKustomizeOrder(result.objects)) json.push({ kustomization: name, apiVersion: o.apiVersion, kind: o.kind, namespace: o.namespace, name: o.name, source: sourceLine(model, o), object: o.object });
    } else if (result.objects.length > 0) documents.push(renderedYaml(model, result.objects, name));
  }
  io.stdout(format === 'json' ? `${JSON.stringify(json, null, 2)}\n` : documents.join('---\n'));
  return failed ? EXIT_USAGE : EXIT_OK;
}

if (require.main === module) {
  main(process.argv.slice(2), {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    cwd: process.cwd(),
    env: process.env,
  }).then((code) => {
    process.exitCode = code;
  });
}
