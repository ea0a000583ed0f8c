// @ts-check
// The dependency graph webview: draws the positions the extension host computed with ELK as SVG,
// and reports clicks on nodes back to it. No layout and no data of its own.
(function () {
  // @ts-ignore acquireVsCodeApi is provided by the webview host.
  const vscode = acquireVsCodeApi();
  const SVG_NS = 'http://www.w3.org/2000/svg';
  const canvas = /** @type {HTMLElement} */ (document.getElementById('canvas'));
  const picker = /** @type {HTMLElement} */ (document.querySelector('.cluster-picker'));
  const select = /** @type {HTMLSelectElement} */ (document.getElementById('cluster'));
  /** @type {any} */
  let graph = null;
  /** @type {SVGSVGElement | null} */
  let svg = null;
  let scale = 1;
  const MIN_FIT_SCALE = 0.75;
  let fit = true;

  /**
   * @param {string} name
   * @param {Record<string, string | number>} attributes
   * @param {Element} [parent]
   */
  function svgElement(name, attributes, parent) {
    const element = document.createElementNS(SVG_NS, name);
    for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, String(value));
    if (parent) parent.appendChild(element);
    return element;
  }

  /** @param {Element} parent @param {string} text */
  function title(parent, text) {
    svgElement('title', {}, parent).textContent = text;
  }

  /** @param {string} text */
  function showMessage(text) {
    svg = null;
    const p = document.createElement('p');
    p.className = 'message';
    p.textContent = text;
    canvas.replaceChildren(p);
  }

  /** @param {string[]} clusters @param {string | undefined} cluster */
  function showClusters(clusters, cluster) {
    picker.hidden = clusters.length < 2;
    const options = [['', 'All clusters'], ...clusters.map((c) => [c, c])].map(([value, label]) => {
      const option = document.createElement('option');
      option.value = value;
      option.textContent = label;
      option.selected = value === (cluster ?? '');
      return option;
    });
    select.replaceChildren(...options);
  }

  /** @param {any} message */
  function render(message) {
    graph = message.graph;
    showClusters(message.clusters, message.cluster);
    if (graph.nodes.length === 0) {
      showMessage('No Flux Kustomization or HelmRelease in this repository.');
      return;
    }
    const labels = new Map(graph.nodes.map((/** @type {any} */ node) => [node.id, node.label]));
    svg = /** @type {SVGSVGElement} */ (svgElement('svg', { viewBox: `0 0 ${graph.width} ${graph.height}`, role: 'group', 'aria-label': 'Dependency graph' }));
    const defs = svgElement('defs', {}, svg);
    for (const [id, className] of [['arrow', 'arrow'], ['arrow-upward', 'arrow upward']]) {
      const marker = svgElement('marker', { id, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' }, defs);
      svgElement('path', { d: 'M0,0 L10,5 L0,10 z', class: className }, marker);
    }
    for (const band of graph.bands) {
      const group = svgElement('g', { class: 'band' }, svg);
      svgElement('rect', { x: 6, y: band.y, width: graph.width - 12, height: band.height, rx: 6 }, group);
      svgElement('text', { x: 16, y: band.y + 17 }, group).textContent = band.label;
    }
    const edges = svgElement('g', { class: 'edges' }, svg);
    // Upward edges last, so that they are drawn over the others.
    for (const edge of [...graph.edges].sort((a, b) => Number(a.upward) - Number(b.upward))) {
      const applies = edge.kind === 'applies';
      const path = svgElement('path', { d: edge.path, class: edge.upward ? 'edge upward' : applies ? 'edge applies' : 'edge', 'marker-end': `url(#${edge.upward ? 'arrow-upward' : 'arrow'})` }, edges);
      title(path, applies ? `${labels.get(edge.from)} applies ${labels.get(edge.to)}` : `${labels.get(edge.from)} depends on ${labels.get(edge.to)}${edge.upward ? ' — points up the layers' : ''}`);
    }
    const nodes = svgElement('g', { class: 'nodes' }, svg);
    for (const node of graph.nodes) {
      const group = svgElement('g', { class: `node ${node.kind}`, transform: `translate(${node.x},${node.y})`, tabindex: 0, role: 'button', 'data-id': node.id, 'aria-label': `${node.detail} ${node.label}` }, nodes);
      svgElement('rect', { width: node.width, height: node.height, rx: node.kind === 'helmrelease' ? 14 : 4 }, group);
      svgElement('text', { x: 12, y: 17, class: 'label' }, group).textContent = node.label;
      svgElement('text', { x: 12, y: 32, class: 'detail' }, group).textContent = node.detail;
      const problems = node.problems;
      const severity = problems ? (problems.errors > 0 ? 'error' : problems.warnings > 0 ? 'warning' : undefined) : undefined;
      let summary = '';
      if (problems && severity) {
        // A marker on the corner: the count of its most severe problems.
        const count = severity === 'error' ? problems.errors : problems.warnings;
        const marker = svgElement('g', { class: `marker ${severity}`, transform: `translate(${node.width - 2},2)` }, group);
        svgElement('circle', { r: 9 }, marker);
        svgElement('text', { y: 4, 'text-anchor': 'middle' }, marker).textContent = count > 99 ? '99+' : String(count);
        summary = `\n${problems.errors} error(s), ${problems.warnings} warning(s)`;
      }
      title(group, `${node.detail} ${node.label}${node.layer ? ` (layer ${node.layer})` : ''}${summary}\nClick to open its manifest`);
    }
    canvas.replaceChildren(svg);
    applyZoom();
    highlight(message.highlight);
  }

  function applyZoom() {
    if (!svg || !graph) return;
    // Fit shrinks to the width, but never below a readable size (12px text stays ≥ 9px): wider
    // graphs scroll.
    if (fit) scale = Math.min(1, Math.max(MIN_FIT_SCALE, (canvas.clientWidth - 16) / graph.width));
    svg.setAttribute('width', String(Math.round(graph.width * scale)));
    svg.setAttribute('height', String(Math.round(graph.height * scale)));
  }

  /** @param {string[]} ids */
  function highlight(ids) {
    if (!svg) return;
    const wanted = new Set(ids);
    /** @type {Element | undefined} */
    let first;
    for (const element of svg.querySelectorAll('.node')) {
      const on = wanted.has(element.getAttribute('data-id') ?? '');
      element.classList.toggle('highlight', on);
      if (on && !first) first = element;
    }
    if (first) {
      first.scrollIntoView({ block: 'center', inline: 'center' });
      /** @type {SVGGElement} */ (first).focus({ preventScroll: true });
    }
  }

  /** @param {Event} event */
  function nodeOf(event) {
    const target = /** @type {Element | null} */ (event.target);
    return target?.closest('.node')?.getAttribute('data-id') ?? undefined;
  }

  canvas.addEventListener('click', (event) => {
    const id = nodeOf(event);
    if (id) vscode.postMessage({ type: 'open', id });
  });
  canvas.addEventListener('keydown', (event) => {
    const id = nodeOf(event);
    if (id && (event.key === 'Enter' || event.key === ' ')) {
      event.preventDefault();
      vscode.postMessage({ type: 'open', id });
    }
  });
  select.addEventListener('change', () => vscode.postMessage({ type: 'cluster', cluster: select.value }));
  /** @param {number} factor */
  const zoomBy = (factor) => {
    fit = false;
    scale = Math.min(4, Math.max(0.1, scale * factor));
    applyZoom();
  };
  document.getElementById('zoom-in')?.addEventListener('click', () => zoomBy(1.25));
  document.getElementById('zoom-out')?.addEventListener('click', () => zoomBy(0.8));
  document.getElementById('zoom-fit')?.addEventListener('click', () => {
    fit = true;
    applyZoom();
  });
  window.addEventListener('resize', () => {
    if (fit) applyZoom();
  });

  window.addEventListener('message', (event) => {
    const message = event.data;
    switch (message?.type) {
      case 'graph':
        render(message);
        break;
      case 'highlight':
        highlight(message.ids);
        break;
      case 'error':
        showMessage(message.message);
        break;
    }
  });
  vscode.postMessage({ type: 'ready' });
})();
