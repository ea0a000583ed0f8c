// Compares the render engine with the goldens of scripts/render-goldens.mjs (kubectl kustomize).
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RepoModel } from '../../server/src/model/model';
import { parseAllDocuments } from 'yaml';
import { buildKustomization, modelBuildInput, type BuildResult } from '../../server/src/model/build';
import { inKustomizeOrder, toYaml } from '../../server/src/model/build/output';

export const GOLDENS = join(__dirname, 'goldens');

export interface Golden {
  objects?: Array<[string, string]>;
  text?: string;
  refused?: string;
  remote?: boolean;
}

export type Verdict = 'equal' | 'refused-and-reported' | 'unresolved' | 'differing';

export interface FolderOutcome {
  folder: string;
  verdict: Verdict;
  /** Why it differs, for differing folders. */
  reason?: string;
}

export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as any)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

export function normalise(objects: unknown[]): Array<[string, string]> {
  return objects
    .map((o: any): [string, string] => [
      `${o?.kind ?? ''}|${o?.metadata?.namespace ?? ''}|${o?.metadata?.name ?? ''}|${o?.apiVersion ?? ''}`,
      createHash('sha256').update(canonicalJson(o)).digest('hex').slice(0, 16),
    ])
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : 1));
}

export function repoDir(name: string): string | undefined {
  const dir = name === 'test__render-fixtures' ? join(__dirname, 'fixtures') : name.startsWith('examples__') ? join(__dirname, '../../examples', name.slice('examples__'.length)) : join(__dirname, '../../../shared/corpus', name);
  return existsSync(dir) ? dir : undefined;
}

export function goldenRepos(): string[] {
  return readdirSync(GOLDENS)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -5))
    .sort();
}

export function readGoldens(repo: string): Record<string, Golden> {
  return JSON.parse(readFileSync(join(GOLDENS, `${repo}.json`), 'utf8')).folders;
}

/**
 * The objects of printed YAML, read as the goldens read kubectl's output (YAML 1.2), and whether a
 * YAML 1.1 reader (go-yaml v2: `kubectl apply -f`, sigs.k8s.io/yaml) would read another value
 * (a plain `yes`, `0755`, `1:20`...): kustomize's output never is ambiguous so, and ours must not be.
 */
export function readPrinted(text: string): { objects: unknown[]; ambiguous?: string } {
  const read = (version: '1.1' | '1.2') =>
    parseAllDocuments(text, { version })
      .map((d) => d.toJS({ maxAliasCount: 1000 }))
      .filter((o) => o != null);
  const objects = read('1.2');
  const old = read('1.1');
  for (let i = 0; i < objects.length; i++) {
    if (canonicalJson(objects[i]) === canonicalJson(old[i])) continue;
    const o = objects[i] as any;
    return { objects, ambiguous: `printed ${o?.kind ?? ''} ${o?.metadata?.name ?? ''} reads differently under YAML 1.1 (a plain scalar that is not a string there)` };
  }
  return { objects };
}

export function judge(golden: Golden, result: BuildResult): { verdict: Verdict; reason?: string } {
  if (golden.refused !== undefined) {
    if (golden.remote || /enable-helm|HelmChartInflationGenerator/.test(golden.refused)) return result.unresolved.length > 0 ? { verdict: 'unresolved' } : { verdict: 'differing', reason: 'kustomize needs a remote base; we did not say unresolved' };
    if (result.error) return { verdict: 'refused-and-reported' };
    return { verdict: 'differing', reason: `kustomize refuses (${golden.refused.slice(0, 160)}); we ${result.unresolved.length > 0 ? `say unresolved (${result.unresolved[0].reason})` : 'build it'}` };
  }
  if (result.error) return { verdict: 'differing', reason: `we refuse: ${result.error.message.slice(0, 200)}` };
  if (result.unresolved.length > 0) return { verdict: 'differing', reason: `we say unresolved: ${result.unresolved[0].reason}` };
  // Through the text `gitops-guardrails build` prints, read back as kubectl's output is read: what is
  // compared is what people see (an anchor, a value YAML would read back differently, would show).
  const printed = readPrinted(toYaml(inKustomizeOrder(result.objects)));
  if (printed.ambiguous) return { verdict: 'differing', reason: printed.ambiguous };
  const ours = normalise(printed.objects);
  const theirs = golden.objects ?? [];
  if (JSON.stringify(ours) === JSON.stringify(theirs)) return { verdict: 'equal' };
  const ourIds = new Set(ours.map((o) => o[0]));
  const theirIds = new Set(theirs.map((o) => o[0]));
  const missing = [...theirIds].filter((id) => !ourIds.has(id));
  const extra = [...ourIds].filter((id) => !theirIds.has(id));
  if (missing.length > 0 || extra.length > 0) return { verdict: 'differing', reason: `objects: missing ${missing.slice(0, 3).join(', ') || '-'}; extra ${extra.slice(0, 3).join(', ') || '-'}` };
  const changed = theirs.filter((t) => !ours.some((o) => o[0] === t[0] && o[1] === t[1])).map((t) => t[0]);
  return { verdict: 'differing', reason: `content differs: ${changed.slice(0, 3).join(', ')}` };
}

export async function compareRepo(repo: string): Promise<FolderOutcome[]> {
  const dir = repoDir(repo);
  if (!dir) return [];
  const model = await RepoModel.load(dir, undefined, undefined, { parseWorkers: 0 });
  const input = modelBuildInput(model);
  const outcomes: FolderOutcome[] = [];
  for (const [key, golden] of Object.entries(readGoldens(repo))) {
    const folder = key === '.' ? '' : key;
    let result: BuildResult;
    try {
      result = buildKustomization(input, folder);
    } catch (error) {
      outcomes.push({ folder: key, verdict: 'differing', reason: `engine threw: ${(error as Error).message}` });
      continue;
    }
    outcomes.push({ folder: key, ...judge(golden, result) });
  }
  return outcomes;
}
