// Which chart version a HelmRelease asks for, read as Flux does: an exact version, a semver range
// (`^1.2`, `>=1.0 <2`, `1.x`), or nothing for the latest stable one.
import * as semver from 'semver';

/** The highest of `versions` that satisfies `constraint` (undefined or empty: the latest stable). */
export function pickVersion(versions: Iterable<string>, constraint: string | undefined): string | undefined {
  const wanted = constraint?.trim() || '*';
  const list = [...versions].filter((v) => semver.valid(v, { loose: true }));
  // An exact version is matched as written first (`v1.2.3` and `1.2.3` are different tags).
  const exact = list.find((v) => v === wanted);
  if (exact) return exact;
  if (!semver.validRange(wanted, { loose: true })) return undefined;
  return semver.maxSatisfying(list, wanted, { loose: true, includePrerelease: semver.prerelease(semver.minVersion(wanted, { loose: true }) ?? '0.0.0') !== null }) ?? undefined;
}

/** Whether a constraint names one exact version (no range to resolve against an index or tag list). */
export function exactVersion(constraint: string | undefined): string | undefined {
  const wanted = constraint?.trim();
  return wanted && semver.valid(wanted, { loose: true }) ? wanted : undefined;
}

/** Whether a constraint can be read at all. */
export function validConstraint(constraint: string | undefined): boolean {
  const wanted = constraint?.trim();
  return !wanted || semver.validRange(wanted, { loose: true }) !== null;
}
