// SOPS commands in a real VS Code: encrypt, edit decrypted (in memory), re-encrypt a hand edit,
// decrypt in place; and no plaintext of the edit reaches the workspace or VS Code's own folders.
// Works on new files beside the example's Secrets (the `.sops.yaml` rule matches `*.sops.yaml`)
// and removes them at the end; the key is the public sops test key of ../shared/sops/vectors.
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { activateExtension, poll, relativePath, workspaceFile, workspaceRoot } from './helpers';

const KEY_SETTING = 'ageKeyFile';

/** A Secret in the layout the engine writes (indent 4), so decrypting gives back these bytes. */
const secret = (value: string) => `apiVersion: v1
kind: Secret
metadata:
    name: e2e-sops
    namespace: podinfo
type: Opaque
stringData:
    token: ${value}
`;

const readText = (uri: vscode.Uri) => fs.readFileSync(uri.fsPath, 'utf8');

/** Files under `dir` (recursively) whose bytes contain `needle` as UTF-8 or UTF-16. */
function filesContaining(dir: string, needle: string): string[] {
  const patterns = [Buffer.from(needle, 'utf8'), Buffer.from(needle, 'utf16le')];
  const found: string[] = [];
  const walk = (current: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(current, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) {
        try {
          if (fs.statSync(full).size > 64 << 20) continue;
          const bytes = fs.readFileSync(full);
          if (patterns.some((p) => bytes.includes(p))) found.push(full);
        } catch {
          // A file that vanished or cannot be read holds nothing we could leak.
        }
      }
    }
  };
  walk(dir);
  return found;
}

/**
 * The folders VS Code writes for a run: the harness's temporary roots (`gg-e2e-vscode-*`, holding
 * `user-data` and `server-data`) and browser profiles (`gg-e2e-chromium-*`, IndexedDB backups).
 */
function vscodeFolders(): string[] {
  return fs
    .readdirSync(os.tmpdir())
    .filter((name) => name.startsWith('gg-e2e-vscode-') || name.startsWith('gg-e2e-chromium-'))
    .map((name) => path.join(os.tmpdir(), name));
}

async function closeAllEditors(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

suite('SOPS commands', () => {
  let keys: string;
  const created: vscode.Uri[] = [];

  suiteSetup(async function () {
    const extension = await activateExtension();
    keys = path.resolve(extension.extensionPath, '..', 'shared', 'sops', 'vectors', 'age', 'keys.txt');
    if (!fs.existsSync(keys)) this.skip();
    await vscode.workspace.getConfiguration('gitopsGuardrails.sops').update(KEY_SETTING, keys, vscode.ConfigurationTarget.Global);
  });

  suiteTeardown(async () => {
    await closeAllEditors();
    for (const uri of created) await vscode.workspace.fs.delete(uri).then(undefined, () => undefined);
    await vscode.workspace.getConfiguration('gitopsGuardrails.sops').update(KEY_SETTING, undefined, vscode.ConfigurationTarget.Global);
  });

  /** A new file in the workspace, removed at the end of the suite. */
  async function newFile(name: string, text: string): Promise<vscode.Uri> {
    const uri = workspaceFile(`environments/apps/podinfo/${name}`);
    created.push(uri);
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
    return uri;
  }

  test('encrypt, edit decrypted in memory, decrypt in place; the edit never reaches disk in clear', async () => {
    const run = randomBytes(6).toString('hex');
    const first = `e2e-first-${run}`;
    const edited = `e2e-edited-${run}`;
    const file = await newFile(`e2e-${run}.sops.yaml`, secret(first));

    // Encrypt File: the creation rule of .sops.yaml, saved to disk.
    await vscode.commands.executeCommand('gitopsGuardrails.sops.encrypt', file);
    const encrypted = readText(file);
    assert.match(encrypted, /^ {4}token: ENC\[AES256_GCM,/m);
    assert.match(encrypted, /recipient: age1yt3tfqlfrwdwx0z0ynwplcr6qxcxfaqycuprpmy89nr83ltx74tqdpszlw/);
    assert.ok(!encrypted.includes(first), 'the value is encrypted');
    await closeAllEditors();

    // Edit Decrypted: a gitops-sops: document with the plaintext, retried until the key setting reached the server.
    const editor = await poll('the decrypted view to open', 15_000, async () => {
      await vscode.commands.executeCommand('gitopsGuardrails.sops.edit', file);
      const active = vscode.window.activeTextEditor;
      return active?.document.uri.scheme === 'gitops-sops' ? active : undefined;
    });
    // The tab says it is the decrypted view: `<name>.sops (decrypted).yaml`.
    assert.equal(editor.document.uri.path, file.path.replace(/\.yaml$/, ' (decrypted).yaml'));
    assert.equal(editor.document.getText(), secret(first));
    const start = editor.document.getText().indexOf(first);
    assert.ok(await editor.edit((edit) => edit.replace(new vscode.Range(editor.document.positionAt(start), editor.document.positionAt(start + first.length)), edited)));

    // Saved by itself shortly after the change, re-encrypted into the file.
    await poll('the edit to be re-encrypted into the file', 10_000, () => (!editor.document.isDirty && readText(file) !== encrypted ? true : undefined));
    const saved = readText(file);
    assert.ok(!saved.includes(edited) && !saved.includes(first), 'the file holds ciphertext only');
    const headerOf = (text: string) => text.slice(0, text.indexOf('stringData:'));
    assert.equal(headerOf(saved), headerOf(encrypted), 'the clear part of the file is unchanged');
    const ageOf = (text: string) => text.slice(text.indexOf('    age:'), text.indexOf('    encrypted_regex:'));
    assert.equal(ageOf(saved), ageOf(encrypted), 'the data key is kept');

    // An edit that cannot be encrypted (the YAML does not parse) is kept in memory: the editor is
    // not left dirty (VS Code would back it up), and the file keeps its last good ciphertext.
    const broken = `    broken: "e2e-broken-${run}\n`;
    const end = editor.document.positionAt(editor.document.getText().length);
    assert.ok(await editor.edit((edit) => edit.insert(end, broken)));
    await poll('the unparseable edit to be kept in memory', 10_000, () => (editor.document.isDirty ? undefined : true));
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal(readText(file), saved, 'an edit that does not parse is not written');

    // Longer than VS Code's backup delay (1 s): a dirty decrypted editor would have been backed up by now.
    await new Promise((resolve) => setTimeout(resolve, 2500));
    const folders = vscodeFolders();
    assert.ok(folders.some((f) => path.basename(f).startsWith('gg-e2e-vscode-')), `no gg-e2e-vscode-* folder in ${os.tmpdir()}`);
    for (const plaintext of [edited, `e2e-broken-${run}`]) {
      assert.deepEqual(filesContaining(workspaceRoot().fsPath, plaintext), [], `no ${plaintext} in the workspace`);
      for (const folder of folders) assert.deepEqual(filesContaining(folder, plaintext), [], `no ${plaintext} under ${folder}`);
    }

    // Taking the broken line out again: the view matches the file, nothing is left unwritten.
    const brokenAt = editor.document.getText().indexOf(broken);
    assert.ok(await editor.edit((edit) => edit.delete(new vscode.Range(editor.document.positionAt(brokenAt), editor.document.positionAt(brokenAt + broken.length)))));
    await poll('the view to be saved again', 10_000, () => (editor.document.isDirty ? undefined : true));
    await closeAllEditors();

    // Decrypt File in Place (confirmed programmatically; a person confirms a modal dialog).
    await vscode.commands.executeCommand('gitopsGuardrails.sops.decrypt', file, { confirmed: true });
    assert.equal(readText(file), secret(edited));
  });

  test('re-encrypt a hand-edited file: the clear value is encrypted, the other ciphertext kept', async () => {
    const original = readText(workspaceFile('environments/apps/podinfo/api-token.sops.yaml'));
    const file = await newFile(`e2e-partial-${randomBytes(4).toString('hex')}.sops.yaml`, original);
    await vscode.commands.executeCommand('gitopsGuardrails.sops.reencrypt', file);
    const repaired = readText(file);
    assert.ok(!repaired.includes('example-hand-edited-webhook'), `${relativePath(file)} still has the value in clear`);
    assert.match(repaired, /^ {4}webhook: ENC\[AES256_GCM,/m);
    const tokenLine = (text: string) => text.split('\n').find((line) => line.startsWith('    token: '));
    assert.equal(tokenLine(repaired), tokenLine(original));
  });
});
