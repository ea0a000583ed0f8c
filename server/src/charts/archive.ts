// A Helm chart archive (`.tgz`) read synchronously into what the model uses: Chart.yaml's name and
// version, values.yaml, values.schema.json and the crds/ files of the chart and its subcharts
// (unpacked folders under charts/ and nested archives). Bounded: an archive that unpacks past the
// limits, or holds no Chart.yaml, is refused with a reason, never half read.
import { gunzipSync } from 'node:zlib';
import type { ReadEntry } from 'tar';
import { parse as parseYaml } from 'yaml';

/** What unpacks from one archive at most (a chart is kilobytes; some are a few megabytes of CRDs). */
export const ARCHIVE_LIMITS = { unpackedBytes: 64 * 1024 * 1024, entries: 20_000, nestingDepth: 3 };

export interface ChartContent {
  name: string;
  version: string;
  valuesYaml?: string;
  schema?: unknown;
  crds: { path: string; text: string }[];
}

export class ChartArchiveError extends Error {
  override name = 'ChartArchiveError';
}

/** Reads a chart archive; throws ChartArchiveError when it is not a readable chart. */
export function readChartArchive(archive: Uint8Array, depth = 0): ChartContent {
  const files = unpack(archive);
  const chartFile = [...files.keys()].find((p) => /^[^/]+\/Chart\.yaml$/.test(p));
  if (!chartFile) throw new ChartArchiveError('the archive holds no <chart>/Chart.yaml');
  const root = chartFile.slice(0, chartFile.indexOf('/') + 1);
  const chart = readChartFolder(files, root, depth);
  return chart;
}

function readChartFolder(files: Map<string, Buffer>, root: string, depth: number): ChartContent {
  const meta = parseChartYaml(files.get(`${root}Chart.yaml`)!);
  const text = (p: string) => files.get(`${root}${p}`)?.toString('utf8');
  const schemaText = text('values.schema.json');
  let schema: unknown;
  if (schemaText !== undefined) {
    try {
      schema = JSON.parse(schemaText);
    } catch {
      schema = undefined; // A schema Helm itself could not read: the chart is used without one.
    }
  }
  const crds: ChartContent['crds'] = [];
  const sub = new Set<string>();
  for (const [p, body] of files) {
    if (!p.startsWith(root)) continue;
    const rel = p.slice(root.length);
    if (/^crds\/.+\.(ya?ml|json)$/i.test(rel)) crds.push({ path: rel, text: body.toString('utf8') });
    const folder = /^charts\/([^/]+)\/Chart\.yaml$/.exec(rel);
    if (folder) sub.add(folder[1]!);
    if (/^charts\/[^/]+\.tgz$/.test(rel) && depth < ARCHIVE_LIMITS.nestingDepth) {
      try {
        const nested = readChartArchive(body, depth + 1);
        crds.push(...nested.crds.map((c) => ({ path: `${rel}/${c.path}`, text: c.text })));
      } catch {
        // A subchart archive that does not read contributes nothing; the parent chart still does.
      }
    }
  }
  for (const name of sub) {
    const nested = readChartFolder(files, `${root}charts/${name}/`, depth + 1);
    crds.push(...nested.crds.map((c) => ({ path: `charts/${name}/${c.path}`, text: c.text })));
  }
  crds.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { name: meta.name, version: meta.version, valuesYaml: text('values.yaml'), schema, crds };
}

function parseChartYaml(body: Buffer): { name: string; version: string } {
  let meta: any;
  try {
    meta = parseYaml(body.toString('utf8'), { maxAliasCount: 10 });
  } catch {
    throw new ChartArchiveError('its Chart.yaml is not valid YAML');
  }
  const name = meta?.name;
  const version = meta?.version;
  if (typeof name !== 'string' || !name) throw new ChartArchiveError('its Chart.yaml has no name');
  if (typeof version !== 'string' && typeof version !== 'number') throw new ChartArchiveError('its Chart.yaml has no version');
  return { name, version: String(version) };
}

/** Every regular file of a gzipped tar, by path (Helm's archives are ustar/pax). */
function unpack(archive: Uint8Array): Map<string, Buffer> {
  let tarBytes: Buffer;
  try {
    tarBytes = gunzipSync(archive, { maxOutputLength: ARCHIVE_LIMITS.unpackedBytes });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ChartArchiveError(code === 'ERR_BUFFER_TOO_LARGE' ? `it unpacks to more than ${ARCHIVE_LIMITS.unpackedBytes / 1024 / 1024} MiB` : 'it is not a gzip archive');
  }
  const files = new Map<string, Buffer>();
  let entries = 0;
  let failure: string | undefined;
  // Required on first use: start-up does not pay for tar.
  const { Parser } = require('tar') as typeof import('tar');
  const parser = new Parser({
    strict: true,
    onReadEntry: (entry: ReadEntry) => {
      if (++entries > ARCHIVE_LIMITS.entries) failure = `it holds more than ${ARCHIVE_LIMITS.entries} entries`;
      if (entry.type !== 'File' || failure) {
        entry.resume();
        return;
      }
      const chunks: Buffer[] = [];
      const path = entry.path.replace(/^\.\//, '');
      entry.on('data', (chunk: Buffer) => chunks.push(chunk));
      entry.on('end', () => files.set(path, Buffer.concat(chunks)));
    },
  });
  parser.on('error', (error: Error) => (failure ??= `it is not a tar archive (${error.message})`));
  parser.on('warn', (_code: string, message: string | Error) => (failure ??= `it is not a valid tar archive (${typeof message === 'string' ? message : message.message})`));
  // The parser works synchronously on a buffer it is given whole: the entries are read on return.
  parser.end(tarBytes);
  if (failure) throw new ChartArchiveError(failure);
  return files;
}
