// What the status bar says about the active file: its clusters, layer and component. Pure.
import type { FileContext } from '../../../server/src/protocol';

export interface StatusText {
  text: string;
  /** Markdown. */
  tooltip: string;
}

const MAX_CLUSTERS_SHOWN = 2;

/**
 * Names come from the repository: in the status bar text `$(name)` would draw an icon, so it is
 * escaped as VS Code's escapeIcons does.
 */
export function escapeIcons(text: string): string {
  return text.replace(/(\\)?\$\(/g, (match, escaped) => (escaped ? match : '\\$('));
}

/**
 * In the Markdown tooltip a name must not become markup (links, images, emphasis, HTML, icons):
 * every Markdown punctuation character is backslash-escaped, line breaks become spaces.
 */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\r\n]+/g, ' ').replace(/[\\`*_{}[\]()#+\-.!|<>~$&:"'=]/g, '\\$&');
}

function clustersText(clusters: readonly string[]): string {
  const names = clusters.map(escapeIcons);
  if (names.length <= MAX_CLUSTERS_SHOWN) return names.join(', ');
  return `${names.slice(0, MAX_CLUSTERS_SHOWN).join(', ')} +${names.length - MAX_CLUSTERS_SHOWN}`;
}

/**
 * Undefined when the file is nothing the model knows: no cluster applies it, no layer or component
 * holds it. Its SOPS state is not repeated here: the SOPS item beside it says it, with its action
 * (encrypt, edit decrypted).
 */
export function fileContextText(context: FileContext): StatusText | undefined {
  const { clusters, layer, component } = context;
  if (clusters.length === 0 && !layer && !component) return undefined;
  const parts = [clusters.length > 0 ? `$(server-environment) ${clustersText(clusters)}` : '$(circle-slash) no cluster'];
  if (layer) parts.push(`$(layers) ${escapeIcons(layer)}`);
  if (component) parts.push(`$(package) ${escapeIcons(component)}`);
  const lines = [
    clusters.length > 0 ? `Applied by ${clusters.length === 1 ? 'cluster' : 'clusters'} **${clusters.map(escapeMarkdown).join('**, **')}**` : 'No cluster applies this file.',
    layer ? `Layer **${escapeMarkdown(layer)}**` : undefined,
    component ? `Component **${escapeMarkdown(component)}**` : undefined,
  ];
  return { text: parts.join('  '), tooltip: lines.filter(Boolean).join('\n\n') };
}
