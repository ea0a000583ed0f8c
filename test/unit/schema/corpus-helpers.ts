// Runs the schema engine over every YAML document of a corpus repository, as the model will:
// CRDs of the repository registered first, kustomize patch files validated as patches.
import './setup-generated';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, posix, relative } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { SchemaRegistry } from '../../../server/src/schema/index';

export const CORPUS = join(__dirname, '../../../../shared/corpus');

export interface CorpusProblem {
  file: string;
  index: number;
  kind: string;
  path: string;
  message: string;
}

export interface CorpusResult {
  documents: number;
  validated: number;
  unknownKinds: Set<string>;
  problems: CorpusProblem[];
  /** Problems the bundled CRD snapshot is not sure of (information), as `file#index path: message`. */
  uncertain: string[];
  /** Validated documents where a misspelt top-level field slipped through (should be none). */
  typoMissed: string[];
}

function yamlFiles(root: string, dir = root, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    if (name === '.git' || name === 'node_modules') continue;
    const full = join(dir, name);
    if (statSync(full).isDirectory()) yamlFiles(root, full, out);
    else if (/\.ya?ml$/.test(name)) out.push(relative(root, full).split('\\').join('/'));
  }
  return out;
}

const isKustomizationFile = (file: string) => /(^|\/)(kustomization\.ya?ml|Kustomization)$/.test(file);
/** Helm chart templates are Go templates, not YAML. */
const isTemplate = (file: string) => /(^|\/)templates\//.test(file) && /(^|\/)charts?\//.test(file);

export function runCorpusRepository(repo: string): CorpusResult {
  const files = yamlFiles(repo).filter((f) => !isTemplate(f));
  const parsed = new Map<string, unknown[]>();
  for (const file of files) {
    const docs: unknown[] = [];
    for (const doc of parseAllDocuments(readFileSync(join(repo, file), 'utf8'))) {
      if (doc.errors.length) continue;
      // A document whose aliases cannot be resolved is not a manifest kustomize would read.
      try {
        docs.push(doc.toJS({ maxAliasCount: 100 }));
      } catch {
        continue;
      }
    }
    parsed.set(file, docs);
  }
  const registry = new SchemaRegistry();
  registry.addCustomResourceDefinitions([...parsed.values()].flat());

  // Files that a kustomization names as patches.
  const patches = new Set<string>();
  const jsonPatches = new Set<string>();
  for (const [file, docs] of parsed) {
    if (!isKustomizationFile(file)) continue;
    const k = docs[0] as any;
    if (!k || typeof k !== 'object') continue;
    const at = (p: unknown) => (typeof p === 'string' ? posix.normalize(posix.join(dirname(file), p)) : undefined);
    for (const p of Array.isArray(k.patches) ? k.patches : []) {
      const f = at(p?.path);
      if (f) patches.add(f);
    }
    for (const p of Array.isArray(k.patchesStrategicMerge) ? k.patchesStrategicMerge : []) {
      const f = at(p);
      if (f) patches.add(f);
    }
    for (const p of Array.isArray(k.patchesJson6902) ? k.patchesJson6902 : []) {
      const f = at(p?.path);
      if (f) jsonPatches.add(f);
    }
  }

  // What the model will know and tell validate(): required fields filled in from above.
  // kustomize commonLabels creates selectors in the files of its folder; a Flux Kustomization's
  // spec.patches fills in the kinds it patches (e.g. interval and prune of every child Kustomization).
  const labelled = new Set<string>();
  for (const [file, docs] of parsed) {
    const k = docs[0] as any;
    if (isKustomizationFile(file) && k && typeof k === 'object' && k.commonLabels) labelled.add(dirname(file));
  }
  const patchedKinds = new Set<string>();
  for (const docs of parsed.values()) {
    for (const doc of docs as any[]) {
      if (doc?.kind !== 'Kustomization' || !String(doc.apiVersion).startsWith('kustomize.toolkit.fluxcd.io/')) continue;
      for (const patch of Array.isArray(doc.spec?.patches) ? doc.spec.patches : []) {
        if (typeof patch?.target?.kind === 'string') patchedKinds.add(patch.target.kind);
        for (const m of String(patch?.patch ?? '').matchAll(/^\s*kind:\s*(\w+)/gm)) patchedKinds.add(m[1]);
      }
    }
  }

  const result: CorpusResult = { documents: 0, validated: 0, unknownKinds: new Set(), problems: [], uncertain: [], typoMissed: [] };
  for (const [file, docs] of parsed) {
    if (jsonPatches.has(file)) continue;
    docs.forEach((doc, index) => {
      result.documents++;
      if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return;
      const isKustomization = isKustomizationFile(file);
      const isPatch = patches.has(file) || /(^|[./-])patch(es)?[.-][^/]*$/.test(file);
      const ignoreRequired = labelled.has(dirname(file)) || patchedKinds.has((doc as any).kind);
      const outcome = registry.validate(doc, { isPatch, isKustomization, ignoreRequired });
      if (!Array.isArray(outcome)) {
        result.unknownKinds.add(outcome.unknownKind);
        return;
      }
      const o = doc as any;
      if (!isKustomization && (typeof o.apiVersion !== 'string' || typeof o.kind !== 'string')) return;
      result.validated++;
      // The same document with a misspelt field must get exactly that one more problem.
      const typo = registry.validate({ ...o, metadta: {} }, { isPatch, isKustomization, ignoreRequired });
      if (!Array.isArray(typo) || !typo.some((p) => p.path.join('.') === 'metadta' && p.message.startsWith('Unknown field "metadta"'))) {
        result.typoMissed.push(`${file}#${index}`);
      }
      for (const problem of outcome) {
        // A problem by the bundled CRD snapshot that another operator release may not have: information.
        if (problem.uncertain) {
          result.uncertain.push(`${file}#${index} ${problem.path.join('.')}: ${problem.message}`);
          continue;
        }
        result.problems.push({ file, index, kind: `${o.apiVersion ?? ''} ${o.kind ?? 'kustomization'}`.trim(), path: problem.path.join('.'), message: problem.message });
      }
    });
  }
  return result;
}
