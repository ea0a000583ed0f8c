import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { GraphRequest } from '../../server/src/protocol';
import { copyExample, TestClient } from '../helpers/lsp-client';

let client: TestClient;

before(async () => {
  client = await TestClient.ready(copyExample());
});

after(() => client?.close());

test('nodes per cluster with their layer and component; dependsOn edges', async () => {
  const graph = await client.connection.sendRequest(GraphRequest);
  assert.deepEqual(graph.layers, ['core', 'services', 'apps']);
  assert.deepEqual(
    graph.nodes.find((n) => n.id === 'us-west/kustomization/flux-system/postgres'),
    { id: 'us-west/kustomization/flux-system/postgres', kind: 'kustomization', label: 'postgres', cluster: 'us-west', layer: 'services', component: 'postgres', location: { uri: client.uri('clusters/us-west/services.yaml'), range: client.locate('clusters/us-west/services.yaml', 'postgres') }, problems: { errors: 3, warnings: 2, others: 1 } },
  );
  assert.deepEqual(
    graph.nodes.find((n) => n.id === 'staging/helmrelease/cert-manager/cert-manager'),
    { id: 'staging/helmrelease/cert-manager/cert-manager', kind: 'helmrelease', label: 'cert-manager', cluster: 'staging', layer: 'core', component: 'cert-manager', location: { uri: client.uri('environments/core/cert-manager/helmrelease.yaml'), range: client.locate('environments/core/cert-manager/helmrelease.yaml', 'cert-manager') }, problems: { errors: 0, warnings: 0, others: 0 } },
  );
  const edges = graph.edges.filter((e) => e.from.startsWith('staging/'));
  assert.ok(edges.some((e) => e.from === 'staging/kustomization/flux-system/podinfo' && e.to === 'staging/kustomization/flux-system/postgres' && !e.upward));
  // The unknown dependency (postgress) has no edge.
  assert.ok(!graph.edges.some((e) => e.from === 'us-west/kustomization/flux-system/podinfo' && e.kind === 'dependsOn'));
  // A HelmRelease hangs from the Kustomization that applies it, in its cluster.
  assert.deepEqual(graph.edges.filter((e) => e.to === 'staging/helmrelease/cert-manager/cert-manager'), [
    { from: 'staging/kustomization/flux-system/cert-manager', to: 'staging/helmrelease/cert-manager/cert-manager', kind: 'applies', upward: false },
  ]);
  // Every HelmRelease a cluster applies has its edge.
  for (const node of graph.nodes.filter((n) => n.kind === 'helmrelease' && n.cluster)) assert.ok(graph.edges.some((e) => e.to === node.id && e.kind === 'applies'), node.id);
});

test('an edge from a lower layer to a higher one is upward, and the change is announced', async () => {
  const file = 'clusters/us-west/services.yaml';
  const version = client.modelVersions[client.modelVersions.length - 1];
  const text = readFileSync(path.join(client.root, file), 'utf8').replace('    - name: cloudnative-pg\n', '    - name: cloudnative-pg\n    - name: grafana\n');
  await client.open(file, text);
  assert.ok((await client.waitForModelChange(version)) > version);
  const graph = await client.connection.sendRequest(GraphRequest);
  assert.deepEqual(
    graph.edges.filter((e) => e.from === 'us-west/kustomization/flux-system/postgres'),
    [
      { from: 'us-west/kustomization/flux-system/postgres', to: 'us-west/kustomization/flux-system/cloudnative-pg', kind: 'dependsOn', upward: false },
      { from: 'us-west/kustomization/flux-system/postgres', to: 'us-west/kustomization/flux-system/grafana', kind: 'dependsOn', upward: true },
    ],
  );
});
