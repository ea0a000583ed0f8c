// The property every incremental test states: after any series of edits, a model that was edited
// (and re-checked between some of them) says exactly what a model built fresh from the same files says.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { RepoModel } from '../../server/src/model/model';
import { repo } from './repo';

export type Edit = readonly [path: string, text: string | null | undefined];

export interface IncrementalOptions {
  numRuns: number;
  seed?: number;
  /** The longest series of edits (10). */
  maxEdits?: number;
  /** At most this many edits land between two snapshots (3). */
  maxBetween?: number;
}

/** Asserts that `snapshot` of the edited model equals `snapshot` of a fresh one after random series of `edits`. */
export function assertIncrementalEqualsFresh(initial: Record<string, string | null>, edits: readonly Edit[], snapshot: (model: RepoModel) => unknown, options: IncrementalOptions): void {
  fc.assert(
    fc.property(
      fc.array(fc.integer({ min: 0, max: edits.length - 1 }), { minLength: 1, maxLength: options.maxEdits ?? 10 }),
      fc.integer({ min: 1, max: options.maxBetween ?? 3 }),
      (sequence, every) => {
        const incremental = repo(initial);
        const files = new Map(Object.entries(initial));
        snapshot(incremental);
        sequence.forEach((i, step) => {
          const [path, text] = edits[i];
          incremental.setFile(path, text);
          if (text === undefined) files.delete(path);
          else files.set(path, text);
          // Sometimes several edits land between two checks.
          if (step % every !== 0 && step !== sequence.length - 1) return;
          assert.deepEqual(snapshot(incremental), snapshot(repo(Object.fromEntries(files))), `after edits ${sequence.slice(0, step + 1).join(', ')}`);
        });
      },
    ),
    { numRuns: options.numRuns, ...(options.seed !== undefined ? { seed: options.seed } : {}) },
  );
}
