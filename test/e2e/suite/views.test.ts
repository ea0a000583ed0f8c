import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateExtension, poll } from './helpers';

interface Node {
  label: string;
  kind: string;
  children: Node[];
}
interface Provider {
  getChildren(node?: Node): Promise<Node[]>;
}

async function views(): Promise<{ clusters: Provider; components: Provider }> {
  const extension = await activateExtension();
  const api = extension.exports as { views?: { clusters: Provider; components: Provider } };
  assert.ok(api.views, 'the extension exports no views (is gitopsGuardrails.enable off?)');
  return api.views;
}

suite('views', () => {
  test('the Clusters view shows both clusters with their Flux Kustomizations in dependency order', async () => {
    const { clusters } = await views();
    const roots = await poll('the Clusters view to list clusters', 30_000, async () => {
      const nodes = await clusters.getChildren();
      return nodes.length >= 2 ? nodes : undefined;
    });
    assert.deepEqual(roots.map((n) => n.label), ['staging', 'us-west']);
    const kustomizations = (await clusters.getChildren(roots[1])).map((n) => n.label);
    for (const name of ['flux-system', 'cert-manager', 'cloudnative-pg', 'postgres', 'podinfo']) assert.ok(kustomizations.includes(name), `${name} missing from ${kustomizations.join(', ')}`);
    assert.ok(kustomizations.indexOf('cloudnative-pg') < kustomizations.indexOf('postgres'), 'postgres depends on cloudnative-pg and must come after it');
  });

  test('the Components view shows the layers lowest first with their components', async () => {
    const { components } = await views();
    const layers = await poll('the Components view to list layers', 30_000, async () => {
      const nodes = await components.getChildren();
      return nodes.length >= 3 ? nodes : undefined;
    });
    assert.deepEqual(layers.map((n) => n.label), ['core', 'services', 'apps']);
    const apps = (await components.getChildren(layers[2])).map((n) => n.label);
    for (const name of ['grafana', 'loki', 'podinfo']) assert.ok(apps.includes(name), `${name} missing from ${apps.join(', ')}`);
    const core = (await components.getChildren(layers[0])).map((n) => n.label);
    assert.deepEqual(core.slice(0, 2), ['cert-manager', 'cloudnative-pg']);
  });

  test('the graph and refresh commands run', async () => {
    await views();
    await vscode.commands.executeCommand('gitopsGuardrails.refreshViews');
    await vscode.commands.executeCommand('gitopsGuardrails.showGraph');
    await poll('the Dependency Graph tab', 20_000, () =>
      vscode.window.tabGroups.all.flatMap((g) => g.tabs).some((t) => t.label === 'Dependency Graph') ? true : undefined,
    );
  });
});
