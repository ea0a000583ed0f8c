// The graph webview's page: no inline code, a script allowed only by its nonce, no remote content.
import { randomBytes } from 'node:crypto';

export interface GraphPageResources {
  /** `webview.cspSource`. */
  cspSource: string;
  scriptUri: string;
  styleUri: string;
}

export function newNonce(): string {
  return randomBytes(18).toString('base64');
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [`default-src 'none'`, `style-src ${cspSource}`, `img-src ${cspSource}`, `font-src ${cspSource}`, `script-src 'nonce-${nonce}'`].join('; ');
}

const escapeAttribute = (value: string) => value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

export function graphPage(resources: GraphPageResources, nonce: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeAttribute(contentSecurityPolicy(resources.cspSource, nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeAttribute(resources.styleUri)}">
<title>Dependency Graph</title>
</head>
<body>
<header class="toolbar">
  <label class="cluster-picker" hidden>Cluster <select id="cluster"></select></label>
  <button id="zoom-out" title="Zoom out" aria-label="Zoom out">−</button>
  <button id="zoom-fit" title="Fit to window" aria-label="Fit to window">Fit</button>
  <button id="zoom-in" title="Zoom in" aria-label="Zoom in">+</button>
  <span class="legend"><span class="legend-edge"></span> dependsOn <span class="legend-edge applies"></span> applies <span class="legend-edge upward"></span> points up the layers</span>
</header>
<main id="canvas" tabindex="-1"><p class="message">Loading the dependency graph…</p></main>
<script nonce="${escapeAttribute(nonce)}" src="${escapeAttribute(resources.scriptUri)}"></script>
</body>
</html>`;
}
