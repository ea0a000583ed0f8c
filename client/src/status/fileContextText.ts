// What the status bar says about the active file: its clusters, layer and component. Pure.
import type { FileContext } from '../../../server/src/protocol';

export interface StatusText {
  text: string;
  /** Markdown. */
  tooltip: string;
  /** A Secret in clear is worth the warning colour. */
  warning: boolean;
}

const MAX_CLUSTERS_SHOWN = 2;

function clustersText(clusters: readonly string[]): string {
  if (clusters.length <= MAX_CLUSTERS_SHOWN) return clusters.join(', ');
  return `${clusters.slice(0, MAX_CLUSTERS_SHOWN).join(', ')} +${clusters.length - MAX_CLUSTERS_SHOWN}`;
}

/** Undefined when the file is nothing the model knows: no cluster applies it, no layer or component holds it. */
export function fileContextText(context: FileContext): StatusText | undefined {
  const { clusters, layer, component, encryption } = context;
  if (clusters.length === 0 && !layer && !component && encryption !== 'plaintext-secret') return undefined;
  const parts = [clusters.length > 0 ? `$(server-environment) ${clustersText(clusters)}` : '$(circle-slash) no cluster'];
  if (layer) parts.push(`$(layers) ${layer}`);
  if (component) parts.push(`$(package) ${component}`);
  if (encryption === 'encrypted') parts.push('$(lock)');
  if (encryption === 'plaintext-secret') parts.push('$(unlock) Secret in clear');
  const lines = [
    clusters.length > 0 ? `Applied by ${clusters.length === 1 ? 'cluster' : 'clusters'} **${clusters.join('**, **')}**` : 'No cluster applies this file.',
    layer ? `Layer **${layer}**` : undefined,
    component ? `Component **${component}**` : undefined,
    encryption === 'encrypted' ? 'Encrypted with SOPS' : encryption === 'plaintext-secret' ? 'Holds a Secret in clear: encrypt it with SOPS before committing.' : undefined,
  ];
  return { text: parts.join('  '), tooltip: lines.filter(Boolean).join('\n\n'), warning: encryption === 'plaintext-secret' };
}
