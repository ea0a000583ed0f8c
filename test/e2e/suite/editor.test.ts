// The editor experience of issue 16 in a real VS Code, on examples/layered-repo: the quota fix
// opens the files it creates and its budget matches the code lens, "Disable … for this line",
// fix-all on save, the wrong-key message with a working "Set Age Key File", the graph on the
// largest cluster with problem markers, the walkthrough listed, the log channel's levels.
// What the extension host cannot see (notifications, dialogs, the graph's webview, pictures)
// goes through the UI bridge (ui.ts): the harness drives Chromium. Each test leaves the example
// as it found it: created files are deleted, edits reverted, settings reset.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  activateExtension,
  applyCodeAction,
  codeActionsAt,
  isOpen,
  poll,
  revertFile,
  ruleOf,
  waitForDiagnostics,
  workspaceFile,
} from './helpers';
import { graphShown, screenshot, ui, uiBridgeAvailable } from './ui';

interface Api {
  views?: { clusters: { getChildren(node?: unknown): Promise<{ label: string }[]> } };
  logUri?: vscode.Uri;
}

const NOTIFICATION = '.notifications-toasts .notification-list-item';
const QUICK_INPUT = '.quick-input-widget input';

/** The key the example's SOPS files are encrypted for, and one that does not fit (public sops test keys). */
function sopsKeys(extensionPath: string): { right: string; wrong: string } {
  const dir = path.resolve(extensionPath, '..', 'shared', 'sops', 'vectors', 'age');
  return { right: path.join(dir, 'keys.txt'), wrong: path.join(dir, 'mock_identity.txt') };
}

function sopsSettings(): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration('gitopsGuardrails.sops');
}

/** Sets a user setting and resolves once VS Code reports the change (the language client forwards it then). */
async function setUserSetting(section: string, key: string, value: unknown): Promise<void> {
  const changed = new Promise<void>((resolve) => {
    const listener = vscode.workspace.onDidChangeConfiguration((event) => {
      if (!event.affectsConfiguration(`${section}.${key}`)) return;
      listener.dispose();
      resolve();
    });
  });
  await vscode.workspace.getConfiguration(section).update(key, value, vscode.ConfigurationTarget.Global);
  await changed;
}

/** Closes a file's editors without saving and deletes it (a file a fix created on disk). */
async function discardCreated(uri: vscode.Uri): Promise<void> {
  if (isOpen(uri)) await revertFile(uri).catch(() => undefined);
  await vscode.workspace.fs.delete(uri).then(undefined, () => undefined);
}

async function codeLensTitles(uri: vscode.Uri): Promise<string[]> {
  const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri)) ?? [];
  return lenses.map((lens) => lens.command?.title ?? '').filter(Boolean);
}

/** The text of the extension's log channel, as VS Code writes it to its log file. */
function logText(api: Api): string {
  assert.ok(api.logUri, 'the extension exports no logUri');
  const file = path.join(api.logUri.fsPath, 'GitOps Guardrails.log');
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
}

function waitForLog(api: Api, what: string, pattern: RegExp): Promise<string> {
  return poll(`${what} in the log channel`, 20_000, () => pattern.exec(logText(api))?.[0]);
}

suite('editor experience', function () {
  let api: Api;
  let extensionPath: string;

  // Each test waits for the server several times; a loaded machine answers slowly.
  this.timeout(150_000);

  suiteSetup(async function () {
    const extension = await activateExtension();
    api = extension.exports as Api;
    extensionPath = extension.extensionPath;
    // Only with the harness's UI bridge (not in the .vsix smoke run, which greps @smoke anyway).
    if (!uiBridgeAvailable()) this.skip();
  });

  teardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    // A message a failed test left open would cover the next picture.
    await vscode.commands.executeCommand('notifications.clearAll');
  });

  test('quota/missing: the fix creates ResourceQuota and LimitRange, opens them, and the code lens shows usage within the proposal', async () => {
    const namespace = workspaceFile('environments/apps/podinfo/namespace.yaml');
    const quota = workspaceFile('environments/apps/podinfo/resourcequota.yaml');
    const limits = workspaceFile('environments/apps/podinfo/limitrange.yaml');
    const kustomization = workspaceFile('environments/apps/podinfo/kustomization.yaml');
    // The example's podinfo folder lists a hpa.yaml that was never written and has a ConfigMap that
    // does not parse, so kustomize refuses the folder and Flux applies none of it: repair both in
    // memory (reverted below) and the namespace is applied.
    const configmap = workspaceFile('environments/apps/podinfo/configmap.yaml');
    const listing = await vscode.workspace.openTextDocument(kustomization);
    const hpa = listing.getText().split('\n').findIndex((line) => line === '  - hpa.yaml');
    assert.ok(hpa > 0, 'the example lists hpa.yaml');
    const greeting = (await vscode.workspace.openTextDocument(configmap)).getText().split('\n').findIndex((line) => line === '  greeting: "hello from podinfo');
    assert.ok(greeting > 0, 'the example leaves the greeting unclosed');
    const repair = new vscode.WorkspaceEdit();
    repair.delete(kustomization, new vscode.Range(hpa, 0, hpa + 1, 0));
    repair.insert(configmap, new vscode.Position(greeting, '  greeting: "hello from podinfo'.length), '"');
    assert.ok(await vscode.workspace.applyEdit(repair));
    const [finding] = (await waitForDiagnostics(namespace, (ds) => ds.some((d) => ruleOf(d) === 'quota/missing'))).filter((d) => ruleOf(d) === 'quota/missing');
    const offered = await codeActionsAt(namespace, finding!.range);
    for (const action of offered) assert.ok(action.title.length <= 80, `the title "${action.title}" is longer than 80 characters`);
    try {
      const action = await applyCodeAction(namespace, finding!, 'Create resourcequota.yaml + limitrange.yaml for podinfo (review estimates)');
      assert.equal(action.command?.command, 'gitops-guardrails.showCreatedFiles');
      // Both created files are opened for review, the ResourceQuota in front.
      const hasTab = (uri: vscode.Uri) => vscode.window.tabGroups.all.some((group) => group.tabs.some((tab) =>
        tab.input instanceof vscode.TabInputText && tab.input.uri.toString() === uri.toString()));
      await poll('the created files to be opened in tabs', 15_000, () => (hasTab(quota) && hasTab(limits) ? true : undefined));
      await poll('the ResourceQuota in the active editor', 15_000, () =>
        vscode.window.activeTextEditor?.document.uri.toString() === quota.toString() ? true : undefined);
      const proposal = vscode.window.activeTextEditor!.document.getText();
      // Sized from every workload of the namespace, the operator-made pod named as an estimate.
      assert.match(proposal, /^# Sized by gitops-guardrails from the workloads of namespace podinfo \(us-west: podinfo, podinfo-db\),$/m);
      assert.match(proposal, /^# {3}Cluster podinfo-db: 1 pod of cpu 100m, memory 128Mi; CloudNativePG runs spec\.instances PostgreSQL pods/m);
      const hard = (key: string) => new RegExp(`^ {4}${key.replace('.', '\\.')}: "([^"]+)"$`, 'm').exec(proposal)?.[1];
      assert.deepEqual([hard('requests.cpu'), hard('requests.memory'), hard('pods')], ['500m', '384Mi', '5']);
      const listed = (await vscode.workspace.openTextDocument(kustomization)).getText();
      assert.match(listed, /^ {2}- resourcequota\.yaml\n {2}- limitrange\.yaml$/m);
      // The code lens counts what the namespace runs against the proposal: 2 podinfo pods and the
      // PostgreSQL pod of podinfo-db (100m, 64Mi and 128Mi each, the Cluster's from the LimitRange
      // default), within every hard limit, so no ⚠.
      const lens = await poll('the ResourceQuota code lens', 20_000, async () => (await codeLensTitles(quota)).find((title) => title.startsWith('us-west:')));
      assert.equal(lens, 'us-west: cpu 300m/500m · memory 256Mi/384Mi · pods 3/5');
      await waitForDiagnostics(namespace, (ds) => !ds.some((d) => ruleOf(d) === 'quota/missing'));
      await screenshot('quota-fix');
    } finally {
      await revertFile(kustomization);
      await revertFile(configmap);
      await discardCreated(quota);
      await discardCreated(limits);
    }
    // Back to the example as written: the folder is refused again, so nothing of it is judged.
    await waitForDiagnostics(namespace, (ds) => !ds.some((d) => ruleOf(d) === 'quota/missing'));
  });

  test('"Disable <rule> for this line" inserts the suppression comment and the finding goes away', async () => {
    const file = workspaceFile('environments/core/cloudnative-pg/helmrepository.yaml');
    const isDeprecated = (d: vscode.Diagnostic) => ruleOf(d) === 'schema/deprecated-api';
    const [finding] = (await waitForDiagnostics(file, (ds) => ds.some(isDeprecated))).filter(isDeprecated);
    assert.equal(finding!.range.start.line, 1);
    try {
      // The lightbulb as a person opens it, for the picture.
      const editor = await vscode.window.showTextDocument(file, { selection: finding!.range });
      await vscode.commands.executeCommand('editor.action.quickFix');
      const rows = await ui({ action: 'texts', selector: '.action-widget .monaco-list-row' });
      assert.ok(rows.texts!.some((row) => row.includes('Disable schema/deprecated-api for this line')), `the lightbulb lists: ${rows.texts!.join(' | ')}`);
      await screenshot('disable-for-line');
      await ui({ action: 'press', key: 'Escape' });

      await applyCodeAction(file, finding!, 'Disable schema/deprecated-api for this line');
      const lines = editor.document.getText().split('\n');
      assert.equal(lines[1], '# gitops-guardrails-disable-next-line schema/deprecated-api');
      assert.equal(lines[2], 'apiVersion: source.toolkit.fluxcd.io/v1beta2');
      await waitForDiagnostics(file, (ds) => !ds.some(isDeprecated));
    } finally {
      await revertFile(file);
    }
    await waitForDiagnostics(file, (ds) => ds.some(isDeprecated));
  });

  test('fix-all on save: editor.codeActionsOnSave with source.fixAll.gitops-guardrails applies a safe fix when the file is saved', async () => {
    const file = workspaceFile('environments/apps/podinfo/e2e-fix-on-save.yaml');
    const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: e2e-fix-on-save\ndata:\n  mode: a\n  mode: b\n';
    const isDuplicate = (d: vscode.Diagnostic) => ruleOf(d) === 'yaml/duplicate-key';
    await setUserSetting('editor', 'codeActionsOnSave', { 'source.fixAll.gitops-guardrails': 'explicit' });
    try {
      await vscode.workspace.fs.writeFile(file, new TextEncoder().encode(text));
      await vscode.window.showTextDocument(file);
      await waitForDiagnostics(file, (ds) => ds.some(isDuplicate));
      const editor = vscode.window.activeTextEditor!;
      // A change, then Save as a person saves (an explicit save runs the save participants).
      await editor.edit((edit) => edit.insert(new vscode.Position(0, 0), '# saved by the end-to-end test\n'));
      await vscode.commands.executeCommand('workbench.action.files.save');
      const saved = await poll('the file to be saved', 15_000, () => (editor.document.isDirty ? undefined : fs.readFileSync(file.fsPath, 'utf8')));
      assert.equal(saved, '# saved by the end-to-end test\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: e2e-fix-on-save\ndata:\n  mode: b\n');
      await waitForDiagnostics(file, (ds) => !ds.some(isDuplicate));
    } finally {
      await setUserSetting('editor', 'codeActionsOnSave', undefined);
      await discardCreated(file);
    }
  });

  test('Edit Decrypted with a key that does not fit: the message names the recipients, "Set Age Key File" picks the key and opens the file', async function () {
    const keys = sopsKeys(extensionPath);
    if (!fs.existsSync(keys.right) || !fs.existsSync(keys.wrong)) this.skip();
    const file = workspaceFile('environments/services/postgres/credentials.sops.yaml');
    await setUserSetting('gitopsGuardrails.sops', 'ageKeyFile', keys.wrong);
    try {
      await vscode.window.showTextDocument(file);
      // The command waits for the person's answer to its message; the harness gives it.
      const running = vscode.commands.executeCommand('gitopsGuardrails.sops.edit', file);
      // Other notifications may be showing already (another toast returns at once): wait for this one.
      let texts: string[] = [];
      const message = await poll('the failure message', 30_000, async () => {
        texts = (await ui({ action: 'texts', selector: NOTIFICATION })).texts ?? [];
        return texts.find((text) => text.includes('Edit Decrypted failed'));
      }).catch(() => undefined);
      assert.ok(message, `no failure message; notifications: ${texts.join(' | ')}`);
      // Named by its path in the workspace, with the reason.
      assert.ok(message.includes('GitOps Guardrails: Edit Decrypted failed: environments/services/postgres/credentials.sops.yaml: '), message);
      assert.match(message, /none of the loaded age identities \(1\) can decrypt the data key \(file recipients: age1yt3tfqlfrwdwx0z0ynwplcr6qxcxfaqycuprpmy89nr83ltx74tqdpszlw\)/);
      assert.doesNotMatch(message, /unexpected error/);
      await screenshot('wrong-key');
      await ui({ action: 'click', selector: `${NOTIFICATION} .monaco-button`, text: 'Set Age Key File' });
      // The open dialog of a remote workbench is a quick input taking a path.
      await ui({ action: 'fill', selector: QUICK_INPUT, text: keys.right, press: 'Enter' });
      await running;
      assert.equal(sopsSettings().get('ageKeyFile'), keys.right);
      const editor = await poll('the decrypted view', 15_000, () => {
        const active = vscode.window.activeTextEditor;
        return active?.document.uri.scheme === 'gitops-sops' ? active : undefined;
      });
      assert.equal(editor.document.uri.path, file.path.replace(/\.yaml$/, ' (decrypted).yaml'));
      const decrypted = editor.document.getText();
      assert.doesNotMatch(decrypted, /ENC\[/);
      // The log has the reason, never a value.
      const logged = await waitForLog(api, 'the SOPS failure', /^.*\[error\] SOPS: Edit Decrypted failed: .*none of the loaded age identities.*$/m);
      assert.match(logged, /credentials\.sops\.yaml/);
      const values = [...decrypted.matchAll(/^ {4}(?:username|password): (.+)$/gm)].map((m) => m[1]!.trim());
      assert.equal(values.length, 2, decrypted.replace(/: .+$/gm, ': …'));
      const log = logText(api);
      for (const value of values) assert.ok(!log.includes(value), 'a decrypted value reached the log channel');
    } finally {
      await setUserSetting('gitopsGuardrails.sops', 'ageKeyFile', undefined);
    }
  });

  test('the dependency graph opens on the largest cluster, with problem markers on its nodes', async () => {
    const clusters = await poll('the Clusters view', 30_000, async () => {
      const roots = await api.views!.clusters.getChildren();
      return roots.length >= 2 ? roots : undefined;
    });
    const sizes = await Promise.all(clusters.map(async (cluster) => [cluster.label, (await api.views!.clusters.getChildren(cluster)).length] as const));
    const largest = [...sizes].sort((a, b) => b[1] - a[1])[0]![0];
    assert.equal(largest, 'us-west', `sizes: ${JSON.stringify(sizes)}`);
    await vscode.commands.executeCommand('gitopsGuardrails.showGraph');
    const graph = await graphShown();
    assert.equal(graph.cluster, largest);
    assert.deepEqual(graph.clusters, ['staging', 'us-west']);
    const node = (label: string, kind = 'kustomization') => {
      const found = graph.nodes.find((n) => n.label === label && n.kind.split(' ').includes(kind));
      assert.ok(found, `no ${kind} ${label} in the graph: ${graph.nodes.map((n) => `${n.kind} ${n.label}`).join(', ')}`);
      return found;
    };
    // us-west only: echo and the observability Kustomizations are not in staging.
    for (const label of ['echo', 'grafana', 'loki']) node(label);
    // podinfo depends on a Kustomization that does not exist; grafana and loki form a cycle
    // (reported on grafana); cloudnative-pg's HelmRepository uses a deprecated API; loki's
    // findings are information only, which carry no marker.
    assert.equal(node('podinfo').marker, 'error');
    assert.match(node('podinfo').count ?? '', /^[1-9]\d*$/);
    assert.equal(node('grafana').marker, 'error');
    assert.equal(node('cloudnative-pg').marker, 'warning');
    assert.equal(node('loki').marker, null);
    await screenshot('graph-markers');
  });

  test('the walkthrough is listed among the workbench\'s walkthroughs and opens', async () => {
    // "Welcome: Open Walkthrough..." lists every walkthrough in a quick pick.
    const picking = vscode.commands.executeCommand('welcome.showAllWalkthroughs');
    const rows = await ui({ action: 'texts', selector: '.quick-input-widget .monaco-list-row' });
    assert.ok(rows.texts!.some((row) => row.includes('Get started with GitOps Guardrails')), `walkthroughs listed: ${rows.texts!.join(' | ')}`);
    await ui({ action: 'click', selector: '.quick-input-widget .monaco-list-row', text: 'Get started with GitOps Guardrails' });
    await picking;
    await poll('the walkthrough editor', 20_000, () =>
      vscode.window.tabGroups.all.flatMap((g) => g.tabs).some((t) => /welcome|walkthrough/i.test(t.label)) ? true : undefined);
    const steps = await ui({ action: 'texts', selector: '.gettingStartedContainer .getting-started-step' });
    assert.ok(steps.texts!.some((step) => step.includes('See what would fail on the cluster')), `steps shown: ${steps.texts!.join(' | ')}`);
    // The page lays its steps out beside their media: room for both in the picture.
    await vscode.commands.executeCommand('workbench.action.closeSidebar');
    try {
      // The step's media is a markdown page in a webview, which loads after the page.
      await screenshot('walkthrough', 3000);
    } finally {
      await vscode.commands.executeCommand('workbench.view.explorer');
    }
  });

  test('the log channel: index timings at info, a settings problem at warning', async () => {
    await waitForLog(api, 'the index timing', /^.*\[info\] gitops-guardrails: indexed \d+ YAML files in \d+ ms$/m);
    await setUserSetting('gitopsGuardrails', 'rules', { 'e2e/not-a-rule': 'error' });
    try {
      await waitForLog(api, 'the settings problem', /^.*\[warning\] gitopsGuardrails\.rules: unknown rule "e2e\/not-a-rule" ignored$/m);
    } finally {
      await setUserSetting('gitopsGuardrails', 'rules', undefined);
    }
    // Nothing the server says lands at a level it did not choose (the client's own prefix is gone).
    assert.doesNotMatch(logText(api), /\[(Info|Warn|Error) +- /);
  });
});
