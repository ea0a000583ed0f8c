// The SOPS commands: Encrypt File, Decrypt File in Place, Edit Decrypted, Re-encrypt File.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { log } from '../log';
import { SopsRequestError, type SopsRequests } from './sopsRequests';
import { commandTarget, currentText, decryptedUri, describe } from './targets';

export const SOPS_COMMANDS = {
  encrypt: 'gitopsGuardrails.sops.encrypt',
  decrypt: 'gitopsGuardrails.sops.decrypt',
  edit: 'gitopsGuardrails.sops.edit',
  reencrypt: 'gitopsGuardrails.sops.reencrypt',
} as const;

/** Codes of the errors a key setting can fix. */
const KEY_ERRORS = new Set(['NO_IDENTITY', 'NO_MATCHING_KEY']);

class UserError extends Error {}

/**
 * Reports a failed command. A key that does not fit gets "Set Age Key File": a file picker, the
 * setting, and the command run again with it.
 */
async function reportFailure(action: string, error: unknown, retry?: () => Promise<void>): Promise<void> {
  const message = withRelativePaths(error instanceof SopsRequestError || error instanceof UserError ? error.message : `unexpected error (${(error as Error)?.name ?? 'Error'})`);
  // The reason (recipients, identities tried, the file), never a value.
  log()?.error(`SOPS: ${action} failed: ${message}`);
  if (error instanceof SopsRequestError && error.sopsCode && KEY_ERRORS.has(error.sopsCode)) {
    const choice = await vscode.window.showErrorMessage(`GitOps Guardrails: ${action} failed: ${message}`, SET_AGE_KEY_FILE);
    if (choice === SET_AGE_KEY_FILE && (await chooseAgeKeyFile()) && retry) await retry();
    return;
  }
  void vscode.window.showErrorMessage(`GitOps Guardrails: ${action} failed: ${message}`);
}

const SET_AGE_KEY_FILE = 'Set Age Key File';

/** The engine names files by absolute path; a notification reads better with the workspace's. */
function withRelativePaths(message: string): string {
  let result = message;
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    if (folder.uri.scheme === 'file') result = result.split(`${folder.uri.fsPath}${path.sep}`).join('');
  }
  return result;
}

/** Asks for the age key file and stores it in `gitopsGuardrails.sops.ageKeyFile` (a machine setting). */
async function chooseAgeKeyFile(): Promise<boolean> {
  const current = vscode.workspace.getConfiguration('gitopsGuardrails.sops').get<string>('ageKeyFile');
  const [picked] = (await vscode.window.showOpenDialog({
    title: 'Age key file (the identities that decrypt SOPS files)',
    openLabel: 'Use this age key file',
    canSelectFiles: true,
    canSelectFolders: false,
    canSelectMany: false,
    ...(current ? { defaultUri: vscode.Uri.file(current) } : {}),
  })) ?? [];
  if (!picked) return false;
  if (current === picked.fsPath) return true;
  // The language client forwards the change to the server on this event: the retry waits for it.
  const changed = new Promise<void>((resolve) => {
    const listener = vscode.workspace.onDidChangeConfiguration((event) => {
      if (!event.affectsConfiguration('gitopsGuardrails.sops.ageKeyFile')) return;
      listener.dispose();
      resolve();
    });
  });
  await vscode.workspace.getConfiguration('gitopsGuardrails.sops').update('ageKeyFile', picked.fsPath, vscode.ConfigurationTarget.Global);
  await changed;
  log()?.info(`SOPS: age key file set to ${picked.fsPath}`);
  return true;
}

function target(argument: unknown, verb: string): vscode.Uri {
  const file = commandTarget(argument);
  if (!file) throw new UserError(`open or select a YAML file on disk to ${verb}`);
  return file;
}

/** Replaces a file's whole text through its editor model and saves it, as a user edit would. */
async function replaceAndSave(file: vscode.Uri, text: string): Promise<void> {
  const document = await vscode.workspace.openTextDocument(file);
  const edit = new vscode.WorkspaceEdit();
  edit.replace(file, new vscode.Range(document.positionAt(0), document.positionAt(document.getText().length)), text);
  if (!(await vscode.workspace.applyEdit(edit))) throw new UserError(`${describe(file)} could not be edited`);
  if (!(await document.save())) throw new UserError(`${describe(file)} could not be saved`);
}

async function encryptFile(requests: SopsRequests, argument: unknown): Promise<void> {
  const file = target(argument, 'encrypt');
  const { text } = await currentText(file);
  const ciphertext = await requests.encrypt(file, text);
  await replaceAndSave(file, ciphertext);
  void vscode.window.setStatusBarMessage(`$(lock) Encrypted ${describe(file)} with SOPS`, 4000);
}

/** Options of a programmatic call (tests, other extensions, which can read the file anyway). */
export interface SopsCommandOptions {
  /** Decrypt in place without the modal confirmation. */
  confirmed?: boolean;
}

async function decryptInPlace(requests: SopsRequests, argument: unknown, options: SopsCommandOptions = {}): Promise<void> {
  const file = target(argument, 'decrypt');
  const { text, document } = await currentText(file);
  if (document?.isDirty) throw new UserError(`${describe(file)} has unsaved changes; save or revert it first`);
  const choice = options.confirmed ? 'Decrypt to Disk' : await vscode.window.showWarningMessage(
    `Decrypt ${describe(file)} in place?`,
    {
      modal: true,
      detail:
        'The plaintext will be written to disk, where backups, other programs and a careless `git add` can read it. "Edit Decrypted" keeps it in memory instead and re-encrypts on every save.',
    },
    'Decrypt to Disk',
    'Edit Decrypted',
  );
  if (choice === 'Edit Decrypted') return editDecrypted(requests, file);
  if (choice !== 'Decrypt to Disk') return;
  const plaintext = await requests.decrypt(file, text);
  // Written as a file, not saved from an editor: VS Code's Local History keeps a copy of every
  // editor save, and this plaintext should exist in one place only.
  await vscode.workspace.fs.writeFile(file, new TextEncoder().encode(plaintext));
}

async function editDecrypted(requests: SopsRequests, argument: unknown): Promise<void> {
  const file = target(argument, 'edit');
  const { text, document } = await currentText(file);
  if (document?.isDirty) throw new UserError(`${describe(file)} has unsaved changes; save or revert it first`);
  const status = await requests.status(file, text);
  if (!status.encrypted) throw new UserError(`${describe(file)} is not SOPS-encrypted; run "Encrypt File with SOPS" first`);
  if (status.unencryptedValues?.length) {
    const choice = await vscode.window.showWarningMessage(
      `${describe(file)} has values in clear in encrypted positions (${status.unencryptedValues.join(', ')}), so it cannot be decrypted. Re-encrypt it first?`,
      { modal: true },
      'Re-encrypt',
    );
    if (choice !== 'Re-encrypt') return;
    await reencryptFile(requests, file);
  }
  // Decrypted first here, so that a key that does not fit is reported with its reason (the
  // recipients, the identities tried) and the "Set Age Key File" action, not as an editor that
  // failed to open. The view's provider decrypts again from the file; plaintext stays in memory.
  await requests.decrypt(file, (await currentText(file)).text);
  await vscode.window.showTextDocument(decryptedUri(file), { preview: false });
}

async function reencryptFile(requests: SopsRequests, argument: unknown): Promise<void> {
  const file = target(argument, 're-encrypt');
  const { text } = await currentText(file);
  const { text: repaired, repaired: paths } = await requests.repair(file, text);
  if (paths.length === 0) {
    void vscode.window.showInformationMessage(`GitOps Guardrails: ${describe(file)} has no value in clear; nothing to re-encrypt.`);
    return;
  }
  await replaceAndSave(file, repaired);
  void vscode.window.showInformationMessage(`GitOps Guardrails: re-encrypted ${paths.join(', ')} in ${describe(file)}.`);
}

export function registerCommands(requests: SopsRequests): vscode.Disposable[] {
  const command = (id: string, action: string, run: (requests: SopsRequests, argument: unknown, options?: SopsCommandOptions) => Promise<void>) =>
    vscode.commands.registerCommand(id, async (argument?: unknown, options?: SopsCommandOptions) => {
      // Run again once the age key file is set (each failure offers it again).
      const attempt = async (): Promise<void> => {
        try {
          await run(requests, argument, options);
        } catch (error) {
          await reportFailure(action, error, attempt);
        }
      };
      await attempt();
    });
  return [
    command(SOPS_COMMANDS.encrypt, 'Encrypt', encryptFile),
    command(SOPS_COMMANDS.decrypt, 'Decrypt', decryptInPlace),
    command(SOPS_COMMANDS.edit, 'Edit Decrypted', editDecrypted),
    command(SOPS_COMMANDS.reencrypt, 'Re-encrypt', reencryptFile),
  ];
}
