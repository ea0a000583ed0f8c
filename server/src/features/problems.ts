// Problem counts for the tree views: findings summed per resource, folder, file set or cluster.
import type { RepoModel } from '../model/model';
import { ancestors } from '../model/paths';
import type { Range, Resource } from '../model/types';
import type { ProblemCounts } from '../protocol';
import type { Finding } from '../rules/types';

/** The latest findings of a file (the session's). */
export type FindingsOf = (file: string) => readonly Finding[];

export function countProblems(findings: Iterable<Finding>): ProblemCounts {
  const counts: ProblemCounts = { errors: 0, warnings: 0, others: 0 };
  for (const f of findings) {
    if (f.severity === 'error') counts.errors++;
    else if (f.severity === 'warning') counts.warnings++;
    else counts.others++;
  }
  return counts;
}

/** A finding belongs to the document its range starts in. */
function startsWithin(range: Range, outer: Range): boolean {
  const le = (a: Range['start'], b: Range['start']) => a.line < b.line || (a.line === b.line && a.character <= b.character);
  return le(outer.start, range.start) && le(range.start, outer.end);
}

export function findingsOfResource(resource: Resource, findingsOf: FindingsOf): Finding[] {
  return findingsOf(resource.file).filter((f) => startsWithin(f.range, resource.range));
}

export function findingsOfFiles(files: Iterable<string>, findingsOf: FindingsOf): Finding[] {
  return [...new Set(files)].flatMap((f) => [...findingsOf(f)]);
}

/** The files of the model below each folder, built once per request. */
export function filesByFolder(model: RepoModel): (folder: string) => readonly string[] {
  const below = new Map<string, string[]>();
  for (const file of model.files.keys()) {
    for (const folder of ancestors(file)) {
      let list = below.get(folder);
      if (!list) below.set(folder, (list = []));
      list.push(file);
    }
  }
  return (folder) => below.get(folder) ?? [];
}
