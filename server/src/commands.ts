// The names the server announces in its `initialize` answer (code action kind, commands), apart
// from the features that use them: server.ts answers `initialize` before it loads the engine.
import { CodeActionKind } from 'vscode-languageserver';

export const SOURCE = 'gitops-guardrails';
/** The code action kind of "fix all" (`editor.codeActionsOnSave: { "source.fixAll.gitops-guardrails": "explicit" }`). */
export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.${SOURCE}`;

/** The server command that applies a fix to SOPS-encrypted files as decrypt, edit, re-encrypt (features/sops.ts). */
export const APPLY_FIX_ENCRYPTED_COMMAND = 'gitopsGuardrails.sops.applyFixEncrypted';

/** The server command that opens the files a fix created, once the client has applied its edit. */
export const SHOW_CREATED_COMMAND = 'gitops-guardrails.showCreatedFiles';
