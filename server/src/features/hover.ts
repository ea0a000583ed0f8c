// Hover: what a Flux Kustomization applies, and what a dependsOn entry waits for; elsewhere, the
// field's schema (schemaAssist.ts).
import { isScalar, type Node } from 'yaml';
import { MarkupKind, type Hover } from 'vscode-languageserver';
import { isFluxKustomization, isHelmRelease } from '../model/flux';
import type { RepoModel } from '../model/model';
import { rangeFromOffsets } from '../model/positions';
import type { FluxKustomization, HelmRelease, Position, Range, YamlFile } from '../model/types';
import { cursorAt, scalarRange } from './cursor';
import { fluxObjectOf, resolve, type SymbolAt } from './crossReferences';
import { plural, summarize } from './fluxSummary';
import { schemaHover } from './schemaAssist';
import { quotaHover } from './quota';
import { chartHover } from './chartValues';
import { inspect, type SopsFileInfo } from '../sops/index';

export function hover(model: RepoModel, path: string, position: Position): Hover | undefined {
  const secret = sopsHover(model, path, position);
  if (secret) return secret;
  const file = model.file(path);
  const cursor = file && cursorAt(file, position);
  if (!file || !cursor?.resource || !cursor.node) return schemaHover(model, path, position);
  const resource = cursor.resource;
  const where = cursor.path.join('/');
  const range = nodeRange(file, cursor.node);
  const flux = fluxObjectOf(model, resource);
  if (isFluxKustomization(resource) && flux && (where === 'metadata/name' || where === 'kind')) {
    return markdown(kustomizationText(model, flux as FluxKustomization), range);
  }
  if ((isFluxKustomization(resource) || isHelmRelease(resource)) && flux && cursor.path.length >= 3 && where.startsWith('spec/dependsOn/')) {
    const ref = flux.dependsOn.find((d) => d.nodePath[2] === cursor.path[2]);
    if (ref) {
      const symbol: SymbolAt = { key: { kind: resource.kind, name: ref.name, namespace: ref.namespace || undefined }, range, file: path };
      return markdown(dependencyText(model, symbol), range);
    }
  }
  // On spec.chart / spec.chartRef (the key, the chart's name or version, the reference's name): the chart resolved, or why not.
  if (isHelmRelease(resource) && isChartPath(cursor.path)) {
    const chart = model.charts.get(resource);
    if (chart) return chartHover(chart, range);
  }
  // On a Namespace or ResourceQuota: usage against the hard limits, per cluster.
  if ((resource.kind === 'Namespace' || resource.kind === 'ResourceQuota') && (where === 'kind' || where === 'metadata/name')) {
    const usage = quotaHover(model, resource);
    if (usage) return markdown(usage, range);
  }
  return schemaHover(model, path, position);
}

function isChartPath(path: readonly (string | number)[]): boolean {
  const where = path.join('/');
  return where === 'spec/chart' || where === 'spec/chartRef' || where === 'spec/chart/spec/chart' || where === 'spec/chart/spec/version' || where === 'spec/chartRef/name';
}

/** Hover on an `ENC[...]` value of a SOPS file: who can decrypt it and when it was last written. */
export function sopsHover(model: RepoModel, path: string, position: Position): Hover | undefined {
  const file = model.file(path);
  if (!file?.sopsEncrypted) return undefined;
  const cursor = cursorAt(file, position);
  const node = cursor?.node;
  if (!node || !isScalar(node) || typeof node.value !== 'string' || !/^ENC\[AES256_GCM,/.test(node.value)) return undefined;
  let info: Pick<SopsFileInfo, 'recipients' | 'lastModified' | 'version' | 'hasMac'>;
  try {
    info = inspect(file.text, { filePath: path });
  } catch {
    // Metadata sops would refuse (a damaged stanza) still says who it was meant for.
    const sops = cursor.resource?.object.sops ?? {};
    const list = (v: unknown) => (Array.isArray(v) ? v : []);
    info = {
      recipients: { age: list(sops.age).map((a: any) => String(a?.recipient ?? '?')), pgp: list(sops.pgp).map((p: any) => String(p?.fp ?? '?')), other: {} },
      lastModified: typeof sops.lastmodified === 'string' ? sops.lastmodified : '',
      version: typeof sops.version === 'string' ? sops.version : '',
      hasMac: typeof sops.mac === 'string',
    };
  }
  const type = /type:(\w+)\]$/.exec(node.value)?.[1] ?? 'unknown';
  const recipients = [
    ...info.recipients.age.map((r) => `- age \`${r}\``),
    ...info.recipients.pgp.map((r) => `- PGP \`${r}\``),
    ...Object.entries(info.recipients.other).flatMap(([kind, keys]) => keys.map((k) => `- ${kind} \`${k}\``)),
  ];
  const lines = [
    `**SOPS-encrypted ${type}** (AES-256-GCM)`,
    '',
    `Recipients:`,
    ...(recipients.length > 0 ? recipients : ['- none recorded']),
    '',
    `Last modified ${info.lastModified || 'at an unknown time'} by sops ${info.version || '?'}${info.hasMac ? '' : ' · **no MAC**'}`,
  ];
  return markdown(lines.join('\n'), scalarRange(file, node));
}

function nodeRange(file: YamlFile, node: Node): Range {
  if (isScalar(node)) return scalarRange(file, node);
  const [start, end] = node.range ?? [0, 0];
  return rangeFromOffsets(file.lineStarts, start, end);
}

function markdown(value: string, range: Range): Hover {
  return { contents: { kind: MarkupKind.Markdown, value }, range };
}

function kustomizationText(model: RepoModel, ks: FluxKustomization): string {
  const summary = summarize(model, ks);
  const lines = [`**Kustomization** \`${ks.namespace}/${ks.name}\``];
  if (ks.folder === undefined) lines.push(`\`spec.path\` is unresolved: ${ks.unresolvedReason ?? 'unknown reason'}.`);
  else if (!summary.folderExists) lines.push(`\`spec.path\` \`${ks.path}\` does not exist in this repository.`);
  else {
    const components = summary.components.map((c) => (c.layer ? `${c.name} (${c.layer})` : c.name));
    lines.push(
      `Applies \`${ks.folder || '.'}\`: ${plural(summary.resourceCount, 'resource')} · ${plural(components.length, 'component')}${components.length > 0 ? `: ${components.join(', ')}` : ''}`,
    );
  }
  lines.push(summary.clusters.length > 0 ? `Clusters: ${summary.clusters.join(', ')}` : 'No cluster applies it.');
  return lines.join('\n\n');
}

function dependencyText(model: RepoModel, symbol: SymbolAt): string {
  const { kind, name, namespace } = symbol.key;
  const targets = resolve(model, symbol);
  if (targets.length === 0) return `No ${kind} \`${namespace ? `${namespace}/` : ''}${name}\` in this repository.`;
  return targets
    .map((d) => {
      const target = fluxObjectOf(model, d.resource) as FluxKustomization | HelmRelease | undefined;
      const dependsOn = (target?.dependsOn ?? []).map((r) => (r.namespace && r.namespace !== target?.namespace ? `${r.namespace}/${r.name}` : r.name));
      const id = `${target?.namespace ? `${target.namespace}/` : ''}${name}`;
      return `**${kind}** \`${id}\`\n\n\`${d.resource.file}\` · depends on: ${dependsOn.length > 0 ? dependsOn.join(', ') : 'nothing'}`;
    })
    .join('\n\n---\n\n');
}
