import { commentedOutEntries, DEAD_PATH, type CommentedOutEntry } from '../model/roots';
import { ancestors } from '../model/paths';
import type { FluxKustomization } from '../model/types';
import type { RelatedLocation, Rule, RuleFinding } from './types';

/** How many names a grouped finding spells out before "and N more". */
const NAMED = 5;

/** One dead file: its first Kustomization and how many more the file holds. */
interface DeadFile {
  ks: FluxKustomization;
  others: number;
}

/**
 * A Flux Kustomization that no cluster applies: nothing lists its file and it is not a cluster
 * root, so Flux never reconciles it. Said once per file, as information: it is a dead file, not a
 * cluster, and nothing in it is checked as live. Files switched off by one cause are said once:
 * entries commented out in one kustomization, at the first commented line, and unlisted files of
 * one live folder, at the first of them; the others are its related locations.
 */
export const fluxUnreachableKustomization: Rule = {
  id: 'flux/unreachable-kustomization',
  defaultSeverity: 'information',
  scope: 'structure',
  description: 'A Flux Kustomization that no cluster applies: nothing lists its file and no bootstrap points at it.',
  help:
    'A Flux Kustomization is reconciled only when a cluster applies it: its file is listed by a kustomization that a cluster builds (or lies in a folder Flux applies whole), or a bootstrap (flux-system sync, FluxInstance) points at it. Otherwise it is a dead file, often a ks.yaml whose entry in the parent kustomization was commented out: its objects are not checked as live, and it is reported once, on its first Kustomization. Several files switched off by one cause are reported once: the entries commented out in one kustomization at the first commented line, the unlisted files of one folder at the first of them, with the others as related locations. Folders kept as dead on purpose (.archive, old, backup) are not reported.',
  fix: '—',
  check(model) {
    const graph = model.graph;
    // Without any cluster every file is unreachable: nothing would be said that helps.
    if (graph.clusters.length === 0) return [];
    const unreachable = new Set(graph.unreachable);
    const switchedOff = commentedOutEntries(graph.kustomizeDirs, model.files);
    // Folders holding a file some cluster applies: an unlisted file belongs to the nearest.
    const live = new Set<string>();
    for (const file of model.files.keys()) if (!unreachable.has(file)) for (const folder of ancestors(file)) live.add(folder);

    const commented = new Map<string, { entry: CommentedOutEntry; files: DeadFile[] }>();
    const unlisted = new Map<string, DeadFile[]>();
    const seen = new Set<string>();
    for (const ks of graph.fluxKustomizations) {
      const file = ks.resource.file;
      if (seen.has(file) || !unreachable.has(file) || DEAD_PATH.test(file)) continue;
      if (model.fileKind(file)?.kind !== 'unapplied') continue;
      seen.add(file);
      const dead = { ks, others: graph.fluxKustomizations.filter((k) => k.resource.file === file).length - 1 };
      const entry = switchedOff.get(file) ?? ancestors(file).map((folder) => switchedOff.get(folder)).find((e) => e !== undefined);
      if (entry) {
        // One group per kustomization file, said at its first commented line.
        const group = commented.get(entry.file);
        if (!group) commented.set(entry.file, { entry, files: [dead] });
        else {
          if (entry.range.start.line < group.entry.range.start.line) group.entry = entry;
          group.files.push(dead);
        }
      } else {
        const folder = ancestors(file).find((f) => live.has(f)) ?? '';
        unlisted.set(folder, [...(unlisted.get(folder) ?? []), dead]);
      }
    }

    const findings: RuleFinding[] = [];
    const single = (dead: DeadFile, why: string): RuleFinding => ({
      file: dead.ks.resource.file,
      range: model.rangeOf(dead.ks.resource, ['kind']),
      message:
        `No cluster applies Kustomization ${dead.ks.name}${dead.others > 0 ? ` (nor the ${dead.others} other${dead.others > 1 ? 's' : ''} in this file)` : ''}: ${why}, ` +
        'so Flux never reconciles it and its objects are not checked. List the file in a kustomization a cluster applies, or delete it.',
    });
    const related = (files: DeadFile[], why: string): RelatedLocation[] =>
      files.map((dead) => ({ file: dead.ks.resource.file, range: model.rangeOf(dead.ks.resource, ['kind']), message: `Kustomization ${dead.ks.name}: ${why}` }));
    const names = (files: DeadFile[]) => {
      const all = files.map((d) => d.ks.name);
      return all.length > NAMED ? `${all.slice(0, NAMED).join(', ')} and ${all.length - NAMED} more` : `${all.slice(0, -1).join(', ')} and ${all[all.length - 1]}`;
    };
    const count = (files: DeadFile[]) => files.reduce((n, d) => n + 1 + d.others, 0);

    for (const { entry, files } of commented.values()) {
      if (files.length === 1) {
        findings.push(single(files[0], 'its entry in a kustomization is commented out and nothing else lists it'));
        continue;
      }
      files.sort((a, b) => a.ks.resource.file.localeCompare(b.ks.resource.file));
      findings.push({
        file: entry.file,
        range: entry.range,
        message:
          `No cluster applies the ${count(files)} Flux Kustomizations of ${files.length} files whose entries are commented out in this kustomization (${names(files)}), ` +
          'so Flux never reconciles them and their objects are not checked. Uncomment the entries that should run, or delete the dead files.',
        related: related(files, 'its entry is commented out'),
      });
    }
    for (const [folder, files] of unlisted) {
      files.sort((a, b) => a.ks.resource.file.localeCompare(b.ks.resource.file));
      const why = 'no kustomization lists it and no bootstrap points at it';
      if (files.length === 1) {
        findings.push(single(files[0], why));
        continue;
      }
      const [first, ...rest] = files;
      findings.push({
        ...single(first, why),
        message:
          `No cluster applies the ${count(files)} Flux Kustomizations of ${files.length} files under ${folder === '' ? 'the repository root' : folder} that no kustomization lists and no bootstrap points at (${names(files)}), ` +
          'so Flux never reconciles them and their objects are not checked. List the files in a kustomization a cluster applies, or delete them.',
        related: related(rest, why),
      });
    }
    return findings.sort((a, b) => a.file.localeCompare(b.file) || a.range.start.line - b.range.start.line);
  },
};
