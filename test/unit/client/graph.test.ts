import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { GraphResult } from '../../../server/src/protocol';
import { clustersOf, elkGraph, filterByCluster, largestCluster, layerPartitions, NODE_HEIGHT, nodeWidth } from '../../../client/src/graph/elkGraph';
import { edgePath, layoutGraph, type PositionedGraph, type PositionedNode } from '../../../client/src/graph/layout';
import { matchGraphNodes } from '../../../client/src/graph/targets';
import { at, graphNode } from './fixtures';

// core ← services ← apps, plus an upward edge core → apps, and flux-system outside every layer.
const layered: GraphResult = {
  layers: ['core', 'services', 'apps'],
  nodes: [
    graphNode('flux-system', undefined),
    graphNode('core', 'core', { component: 'cert-manager' }),
    graphNode('services', 'services'),
    graphNode('apps', 'apps'),
    graphNode('podinfo', 'apps', { kind: 'helmrelease', location: at('environments/apps/podinfo/helmrelease.yaml', 3) }),
  ],
  edges: [
    { from: 'services', to: 'core', kind: 'dependsOn', upward: false },
    { from: 'apps', to: 'services', kind: 'dependsOn', upward: false },
    { from: 'core', to: 'apps', kind: 'dependsOn', upward: true },
  ],
};

test('layers become partitions from the top: outside every layer, then the highest layer down to the lowest', () => {
  const partitions = layerPartitions(layered);
  assert.deepEqual(partitions.labels, ['no layer', 'apps', 'services', 'core']);
  assert.deepEqual(Object.fromEntries(partitions.of), { 'flux-system': 0, core: 3, services: 2, apps: 1, podinfo: 1 });
});

test('only layers with nodes get a partition, and a graph without layers has none', () => {
  const partitions = layerPartitions({ ...layered, nodes: layered.nodes.filter((n) => n.layer === 'apps' || n.layer === 'core') });
  assert.deepEqual(partitions.labels, ['apps', 'core']);
  const none = layerPartitions({ ...layered, layers: [] });
  assert.deepEqual([none.labels, none.of.size], [[], 0]);
  const options = elkGraph({ ...layered, layers: [] }, none, false).layoutOptions!;
  assert.equal(options['elk.partitioning.activate'], 'false');
  assert.equal(options['elk.separateConnectedComponents'], 'true', 'without bands, unconnected parts are packed into rows');
});

test('the ELK input: layered top to bottom, partitions on nodes, edges from dependent to dependency, no dangling or repeated edge', () => {
  const graph: GraphResult = {
    ...layered,
    edges: [...layered.edges, { from: 'apps', to: 'services', kind: 'dependsOn', upward: false }, { from: 'apps', to: 'nowhere', kind: 'dependsOn', upward: false }],
  };
  const elk = elkGraph(graph, layerPartitions(graph), false);
  assert.equal(elk.layoutOptions!['elk.algorithm'], 'layered');
  assert.equal(elk.layoutOptions!['elk.direction'], 'DOWN');
  assert.equal(elk.layoutOptions!['elk.partitioning.activate'], 'true');
  assert.equal(elk.layoutOptions!['elk.separateConnectedComponents'], 'false', 'bands need partitions across unconnected parts');
  assert.deepEqual(elk.children!.map((c) => [c.id, c.layoutOptions?.['elk.partitioning.partition'], c.height]), [
    ['flux-system', '0', NODE_HEIGHT], ['core', '3', NODE_HEIGHT], ['services', '2', NODE_HEIGHT], ['apps', '1', NODE_HEIGHT], ['podinfo', '1', NODE_HEIGHT],
  ]);
  assert.deepEqual(elk.edges!.map((e) => [e.sources, e.targets]), [[['services'], ['core']], [['apps'], ['services']], [['core'], ['apps']]]);
});

test('nodes are wide enough for their label', () => {
  assert.equal(nodeWidth('a', 'Kustomization'), 120);
  assert.ok(nodeWidth('a-very-long-kustomization-name-indeed', 'Kustomization') > 'a-very-long-kustomization-name-indeed'.length * 6);
});

test('one cluster at a time: its nodes, those of no cluster, and the edges between them', () => {
  const graph: GraphResult = {
    layers: [],
    nodes: [graphNode('prod/a', undefined), graphNode('staging/a', undefined, { cluster: 'staging' }), graphNode('loose', undefined, { cluster: undefined })],
    edges: [{ from: 'prod/a', to: 'loose', kind: 'dependsOn', upward: false }, { from: 'staging/a', to: 'prod/a', kind: 'dependsOn', upward: false }],
  };
  assert.deepEqual(clustersOf(graph), ['prod', 'staging']);
  const prod = filterByCluster(graph, 'prod');
  assert.deepEqual(prod.nodes.map((n) => n.id), ['prod/a', 'loose']);
  assert.deepEqual(prod.edges.map((e) => `${e.from}->${e.to}`), ['prod/a->loose']);
  assert.equal(filterByCluster(graph, undefined), graph);
});

test('the graph opens on the largest cluster, the first by name among equals', () => {
  const nodes = (cluster: string, n: number) => Array.from({ length: n }, (_, i) => graphNode(`${cluster}/${i}`, undefined, { cluster }));
  assert.equal(largestCluster({ layers: [], edges: [], nodes: [...nodes('a-small', 2), ...nodes('prod', 5), ...nodes('staging', 5)] }), 'prod');
  assert.equal(largestCluster({ layers: [], edges: [], nodes: [graphNode('loose', undefined, { cluster: undefined })] }), undefined);
});

test('the layout keeps the kind of an edge and the problems of a node', async () => {
  const graph: GraphResult = {
    layers: [],
    nodes: [graphNode('ks', undefined, { problems: { errors: 2, warnings: 1, others: 0 } }), graphNode('hr', undefined, { kind: 'helmrelease' })],
    edges: [{ from: 'ks', to: 'hr', kind: 'applies', upward: false }],
  };
  const positioned = await layoutGraph(graph, { showCluster: false });
  assert.deepEqual(positioned.edges.map((e) => [e.from, e.to, e.kind]), [['ks', 'hr', 'applies']]);
  assert.deepEqual(positioned.nodes.find((n) => n.id === 'ks')!.problems, { errors: 2, warnings: 1, others: 0 });
  assert.equal(positioned.nodes.find((n) => n.id === 'hr')!.problems, undefined);
});

test('"Reveal in Graph" finds a Flux object by its manifest, or a component by name and layer', () => {
  assert.deepEqual(matchGraphNodes(layered, { location: at('environments/apps/podinfo/helmrelease.yaml', 3) }).map((n) => n.id), ['podinfo']);
  assert.deepEqual(matchGraphNodes(layered, { location: at('environments/apps/podinfo/helmrelease.yaml', 4) }), []);
  assert.deepEqual(matchGraphNodes(layered, { component: 'cert-manager', layer: 'core' }).map((n) => n.id), ['core']);
  assert.deepEqual(matchGraphNodes(layered, { component: 'cert-manager', layer: 'apps' }), []);
});

const inside = (node: PositionedNode, band: { y: number; height: number }) => node.y >= band.y && node.y + node.height <= band.y + band.height;

test('the layout: every node in its layer band, bands stacked top to bottom without overlap', async () => {
  const positioned = await layoutGraph(layered, { showCluster: false });
  assert.deepEqual(positioned.bands.map((b) => b.label), ['no layer', 'apps', 'services', 'core']);
  for (let i = 1; i < positioned.bands.length; i++) {
    const above = positioned.bands[i - 1]!;
    assert.ok(above.y + above.height < positioned.bands[i]!.y, `band ${above.label} overlaps ${positioned.bands[i]!.label}`);
  }
  const band = (label: string) => positioned.bands.find((b) => b.label === label)!;
  const node = (id: string) => positioned.nodes.find((n) => n.id === id)!;
  for (const [id, label] of [['flux-system', 'no layer'], ['apps', 'apps'], ['podinfo', 'apps'], ['services', 'services'], ['core', 'core']] as const) {
    assert.ok(inside(node(id), band(label)), `${id} is outside band ${label}`);
  }
  assert.ok(positioned.bands.every((b) => b.y >= 0 && b.y + b.height <= positioned.height), 'bands stay inside the drawing');
  assert.equal(node('podinfo').kind, 'helmrelease');
  assert.equal(node('podinfo').detail, 'HelmRelease');
});

test('the layout: edges run from the dependent to its dependency, and only the upward one is marked', async () => {
  const positioned: PositionedGraph = await layoutGraph(layered, { showCluster: false });
  assert.deepEqual(positioned.edges.map((e) => [e.from, e.to, e.upward, e.kind]), [['services', 'core', false, 'dependsOn'], ['apps', 'services', false, 'dependsOn'], ['core', 'apps', true, 'dependsOn']]);
  const node = (id: string) => positioned.nodes.find((n) => n.id === id)!;
  const ends = (path: string) => {
    const points = [...path.matchAll(/[ML](-?[\d.]+),(-?[\d.]+)/g)].map((m) => ({ x: Number(m[1]), y: Number(m[2]) }));
    return [points[0]!, points.at(-1)!];
  };
  const touches = (p: { x: number; y: number }, n: PositionedNode) => p.x >= n.x - 1 && p.x <= n.x + n.width + 1 && p.y >= n.y - 1 && p.y <= n.y + n.height + 1;
  for (const edge of positioned.edges) {
    const [start, end] = ends(edge.path);
    assert.ok(touches(start, node(edge.from)), `${edge.from}->${edge.to} does not start at ${edge.from}: ${edge.path}`);
    assert.ok(touches(end, node(edge.to)), `${edge.from}->${edge.to} does not end at ${edge.to}: ${edge.path}`);
  }
  const [start, end] = ends(positioned.edges[2]!.path);
  assert.ok(end.y < start.y, 'the upward edge is drawn upwards');
});

test('an empty graph is laid out without ELK; with several clusters a node names its cluster', async () => {
  assert.deepEqual(await layoutGraph({ nodes: [], edges: [], layers: [] }, { showCluster: true }), { width: 0, height: 0, nodes: [], edges: [], bands: [] });
  const positioned = await layoutGraph({ nodes: [graphNode('a', undefined)], edges: [], layers: [] }, { showCluster: true });
  assert.equal(positioned.nodes[0]!.detail, 'Kustomization · prod');
  assert.deepEqual(positioned.bands, []);
});

test('an edge path visits its start, bend points and end', () => {
  const path = edgePath({ sections: [{ id: 's', startPoint: { x: 1, y: 2 }, bendPoints: [{ x: 1, y: 10.04 }], endPoint: { x: 5, y: 10 } }] });
  assert.equal(path, 'M1,2 L1,10 L5,10');
});
