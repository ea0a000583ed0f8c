import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import type { Diagnostic } from 'vscode-languageserver-protocol/node';
import { ClustersRequest, ComponentsRequest, FileContextRequest, type ProblemCounts } from '../../server/src/protocol';
import { copyExample, range, TestClient } from '../helpers/lsp-client';

let client: TestClient;

before(async () => {
  client = await TestClient.ready(copyExample());
});

after(() => client?.close());

/** Every YAML file below a folder of the workspace, repository-relative. */
function yamlFilesBelow(folder: string): string[] {
  const result: string[] = [];
  const walk = (relative: string) => {
    for (const name of readdirSync(path.join(client.root, relative)).sort()) {
      const child = relative ? `${relative}/${name}` : name;
      if (statSync(path.join(client.root, child)).isDirectory()) walk(child);
      else if (/\.ya?ml$/.test(name)) result.push(child);
    }
  };
  walk(folder);
  return result;
}

/** The expected counts, from the diagnostics the server published. */
function counted(diagnostics: Diagnostic[]): ProblemCounts {
  return {
    errors: diagnostics.filter((d) => d.severity === 1).length,
    warnings: diagnostics.filter((d) => d.severity === 2).length,
    others: diagnostics.filter((d) => d.severity !== 1 && d.severity !== 2).length,
  };
}

test('clusters list their Kustomizations in dependency order, stable otherwise', async () => {
  const clusters = await client.connection.sendRequest(ClustersRequest);
  assert.deepEqual(clusters.map((c) => [c.name, c.folder, c.kustomizations.map((k) => k.name)]), [
    ['staging', client.uri('clusters/staging'), ['flux-system', 'cert-manager', 'cert-manager-issuers', 'cloudnative-pg', 'postgres', 'podinfo']],
    // The grafana ↔ loki cycle keeps the order in which the cluster reaches them.
    ['us-west', client.uri('clusters/us-west'), ['flux-system', 'podinfo', 'cert-manager', 'cert-manager-issuers', 'cloudnative-pg', 'echo', 'postgres', 'grafana', 'loki']],
  ]);
  assert.deepEqual(clusters[0].rootLocation, { uri: client.uri('clusters/staging/flux-system/gotk-sync.yaml'), range: range(14, 8, 14, 19) });
});

test('a Kustomization item: location, path, folder, dependsOn, components and problems', async () => {
  const clusters = await client.connection.sendRequest(ClustersRequest);
  const podinfo = clusters[1].kustomizations.find((k) => k.name === 'podinfo')!;
  assert.deepEqual(podinfo.location, { uri: client.uri('clusters/us-west/apps.yaml'), range: range(3, 8, 3, 15) });
  assert.equal(podinfo.namespace, 'flux-system');
  assert.equal(podinfo.path, './environments/apps/podinfo');
  assert.equal(podinfo.folder, client.uri('environments/apps/podinfo'));
  assert.equal(podinfo.unresolvedReason, undefined);
  assert.deepEqual(podinfo.dependsOn, ['postgress']);
  assert.deepEqual(podinfo.components.map((c) => [c.name, c.layer, c.folder]), [['podinfo', 'apps', client.uri('environments/apps/podinfo')]]);
  const namespace = podinfo.components[0].resources.find((r) => r.kind === 'Namespace')!;
  assert.deepEqual(namespace, {
    kind: 'Namespace',
    name: 'podinfo',
    // A Namespace is cluster-scoped: it has no namespace of its own (the build says so).
    location: { uri: client.uri('environments/apps/podinfo/namespace.yaml'), range: client.locate('environments/apps/podinfo/namespace.yaml', 'podinfo') },
    problems: counted(client.diagnosticsOf('environments/apps/podinfo/namespace.yaml')),
  });
  assert.equal(podinfo.resourceCount, podinfo.components[0].resources.length);
  // Its own document's problems (the unknown dependency) and those of the folder it applies.
  const expected = counted([...client.diagnosticsOf('clusters/us-west/apps.yaml'), ...yamlFilesBelow('environments/apps/podinfo').flatMap((f) => client.diagnosticsOf(f))]);
  assert.ok(expected.errors >= 2);
  assert.deepEqual(podinfo.problems, expected);
});

test('a cluster counts the problems of every file it applies', async () => {
  const clusters = await client.connection.sendRequest(ClustersRequest);
  for (const cluster of clusters) {
    const applied: Diagnostic[] = [];
    for (const file of yamlFilesBelow('')) {
      const context = await client.connection.sendRequest(FileContextRequest, { uri: client.uri(file) });
      if (context.clusters.includes(cluster.name)) applied.push(...client.diagnosticsOf(file));
    }
    assert.deepEqual(cluster.problems, counted(applied), cluster.name);
    assert.ok(cluster.problems.errors >= 1, cluster.name);
  }
});

test('components by layer, lowest first, each with its resources and problems', async () => {
  const result = await client.connection.sendRequest(ComponentsRequest);
  assert.equal(result.source, 'convention');
  assert.deepEqual(result.layers.map((l) => [l.name, l.order]), [['core', 1], ['services', 2], ['apps', 4]]);
  assert.deepEqual(result.unlayered, []);
  const core = result.layers[0].components.map((c) => c.name);
  assert.ok(core.includes('cert-manager') && core.includes('cloudnative-pg'), core.join());
  const podinfo = result.layers[2].components.find((c) => c.name === 'podinfo')!;
  assert.equal(podinfo.folder, client.uri('environments/apps/podinfo'));
  assert.ok(podinfo.namespaces.includes('podinfo'));
  // The unlisted pdb.yaml is part of the component even though no cluster applies it.
  assert.ok(podinfo.resources.some((r) => r.kind === 'PodDisruptionBudget' && r.location.uri === client.uri('environments/apps/podinfo/pdb.yaml')));
  assert.deepEqual(podinfo.problems, counted(yamlFilesBelow('environments/apps/podinfo').flatMap((f) => client.diagnosticsOf(f))));
  const pdb = podinfo.resources.find((r) => r.kind === 'PodDisruptionBudget')!;
  assert.deepEqual(pdb.problems, counted(client.diagnosticsOf('environments/apps/podinfo/pdb.yaml')));
  assert.ok(pdb.problems.warnings >= 1);
});
