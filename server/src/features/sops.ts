// The SOPS commands' requests: encrypt, decrypt, re-encrypt an edit, repair a hand edit, status.
// Stateless: texts arrive and leave in the messages, nothing is cached, written or logged, and an
// error's message is the engine's own (file, key path and where keys were looked for; no value).
import { dirname, isAbsolute, relative } from 'node:path';
import { LSPErrorCodes, ResponseError, type Connection } from 'vscode-languageserver';
import { parseAllDocuments } from 'yaml';
import {
  SopsDecryptRequest,
  SopsEncryptRequest,
  SopsReencryptRequest,
  SopsRepairRequest,
  SopsStatusRequest,
  type SopsReencryptParams,
  type SopsStatus,
  type SopsTextParams,
} from '../protocol';
import { sopsReencryptParams, sopsTextParams, type ParamsCheck } from '../params';
import { decrypt, encrypt, findUnencryptedValues, inspect, reencrypt, reencryptEditedCiphertext, repairPartiallyEncrypted, SopsError } from '../sops';
import { applyTextEdits } from '../fixes';
import { computeLineStarts, positionAt } from '../model/positions';
import type { EncryptedFixArguments } from './diagnostics';
import type { IdentityOptions, SopsBinaryOptions } from '../sops';
import { findRepoRoot } from '../sops/repoRoot';
import { uriToAbsolute } from '../uris';
import { plainValue } from '../model/limits';

/** The `gitopsGuardrails.sops.*` settings (server/src/settings.ts keeps them current), and the workspace's trust. */
export interface SopsSettings {
  /** A key file tried before the SOPS_AGE_* variables. */
  ageKeyFile?: string;
  /** The sops binary; otherwise `sops` from the PATH. */
  binary?: string;
  /** Consent to run SOPS_AGE_KEY_CMD. */
  allowKeyCommand?: boolean;
  /**
   * False in an untrusted workspace (VS Code's Restricted Mode): then no program runs, neither the
   * sops binary (nor the gpg it would start) nor SOPS_AGE_KEY_CMD. Absent: trusted.
   */
  workspaceTrusted?: boolean;
}

/** What a request needs: the file's path, the repository root, and how to find keys and sops. */
interface SopsContext {
  filePath: string;
  repoRoot: string;
  identityOptions: IdentityOptions;
  sopsBinary: SopsBinaryOptions;
}

export function contextFor(uri: string, root: string | undefined, settings: SopsSettings): SopsContext {
  const filePath = uriToAbsolute(uri);
  if (!filePath) throw new SopsError('UNSUPPORTED', `${uri}: only files on disk (file: URIs) can be encrypted or decrypted`);
  // `.sops.yaml` lookup stops at the workspace root; a file outside it uses its own Git work tree.
  const inWorkspace = root !== undefined && !relative(root, filePath).startsWith('..') && !isAbsolute(relative(root, filePath));
  const repoRoot = inWorkspace ? root : findRepoRoot(dirname(filePath));
  const trusted = settings.workspaceTrusted !== false;
  const allowKeyCommand = trusted && settings.allowKeyCommand === true;
  return {
    filePath,
    repoRoot,
    identityOptions: { env: process.env, keyFile: settings.ageKeyFile, allowKeyCommand },
    // The binary gets SOPS_AGE_KEY_CMD only with the same consent (sops would run it itself), and
    // is never looked up in an untrusted workspace.
    sopsBinary: { binaryPath: settings.binary, env: process.env, cwd: repoRoot, allowKeyCommand, refusedBecause: trusted ? undefined : 'the workspace is not trusted (Restricted Mode): no program is run' },
  };
}


/** True when a plain (unencrypted) text holds a Secret with `data` or `stringData`. */
function holdsPlaintextSecret(text: string): boolean {
  try {
    return parseAllDocuments(text, { logLevel: 'error' }).some((doc) => {
      if (!('contents' in doc)) return false;
      const object = plainValue(doc) as Record<string, unknown> | null;
      if (!object || typeof object !== 'object' || object.kind !== 'Secret') return false;
      return [object.data, object.stringData].some((values) => values && typeof values === 'object' && Object.keys(values).length > 0);
    });
  } catch {
    return false;
  }
}

export function sopsStatus(text: string, filePath?: string): SopsStatus {
  let info;
  try {
    info = inspect(text, { filePath });
  } catch {
    return { encrypted: false, recipients: [], plaintextSecret: holdsPlaintextSecret(text) };
  }
  const recipients = [...info.recipients.age, ...info.recipients.pgp, ...Object.values(info.recipients.other).flat()];
  return { encrypted: true, recipients, lastModified: info.lastModified, unencryptedValues: findUnencryptedValues(text, { filePath }) };
}

/** An engine failure as the response's error: the message is the engine's; anything else only by name. */
function toResponseError(error: unknown): ResponseError<{ sopsCode?: string }> {
  if (error instanceof SopsError) return new ResponseError(LSPErrorCodes.RequestFailed, error.message, { sopsCode: error.code });
  // Foreign errors may quote their input (a YAML parser quoting a line), so only the name goes out.
  const e = error as NodeJS.ErrnoException;
  return new ResponseError(LSPErrorCodes.RequestFailed, `SOPS: unexpected error (${e?.name ?? 'Error'}${e?.code ? ` ${e.code}` : ''})`, {});
}

/** How server.ts registers a request: behind a check of its params' shape (params.ts). */
export type RegisterRequest = <P, R>(type: { method: string }, check: ParamsCheck, handler: (params: P) => R | Promise<R>) => unknown;

/**
 * Registers the SOPS requests of `protocol.ts`. `getRoot` is the workspace root (where the
 * `.sops.yaml` lookup stops); `settings` the current `gitopsGuardrails.sops.*` settings and trust,
 * read at each request so that a change applies at once. Keys come from the server's environment too.
 */
export function registerSopsRequests(register: RegisterRequest, getRoot: () => string | undefined, settings: () => SopsSettings): void {
  const run = async <T>(uri: string, action: (context: SopsContext) => Promise<T>): Promise<T> => {
    try {
      return await action(contextFor(uri, getRoot(), settings()));
    } catch (error) {
      throw toResponseError(error);
    }
  };

  register(SopsEncryptRequest, sopsTextParams, ({ uri, text }: SopsTextParams) =>
    run(uri, async (c) => ({ text: await encrypt(text, { filePath: c.filePath, repoRoot: c.repoRoot, sopsBinary: c.sopsBinary }) })),
  );
  register(SopsDecryptRequest, sopsTextParams, ({ uri, text }: SopsTextParams) =>
    run(uri, async (c) => ({ text: await decrypt(text, { filePath: c.filePath, identityOptions: c.identityOptions, sopsBinary: c.sopsBinary }) })),
  );
  register(SopsReencryptRequest, sopsReencryptParams, ({ uri, original, edited }: SopsReencryptParams) =>
    run(uri, async (c) => ({ text: await reencrypt(original, edited, { filePath: c.filePath, identityOptions: c.identityOptions }) })),
  );
  register(SopsRepairRequest, sopsTextParams, ({ uri, text }: SopsTextParams) => run(uri, (c) => repairPartiallyEncrypted(text, { filePath: c.filePath, identityOptions: c.identityOptions })));
  register(SopsStatusRequest, sopsTextParams, ({ uri, text }: SopsTextParams) => {
    try {
      return sopsStatus(text, uriToAbsolute(uri));
    } catch (error) {
      throw toResponseError(error);
    }
  });
}

function isEncryptedFix(value: unknown): value is EncryptedFixArguments {
  const fix = value as EncryptedFixArguments | undefined;
  return (
    !!fix &&
    typeof fix.title === 'string' &&
    typeof fix.edit === 'object' &&
    fix.edit !== null &&
    Array.isArray(fix.encrypted) &&
    fix.encrypted.every((f) => f && typeof f.uri === 'string' && typeof f.original === 'string' && Array.isArray(f.edits))
  );
}

/**
 * The server command APPLY_FIX_ENCRYPTED_COMMAND (dispatched by server.ts): a fix into
 * SOPS-encrypted files applied as decrypt, edit, re-encrypt.
 */
export async function applyEncryptedFix(connection: Connection, args: unknown[] | undefined, getRoot: () => string | undefined, settings: () => SopsSettings): Promise<void> {
  const fix = args?.[0] as EncryptedFixArguments | undefined;
  if (!isEncryptedFix(fix)) {
    void connection.window.showErrorMessage('GitOps Guardrails: the fix could not be applied (malformed command arguments).');
    return;
  }
  try {
    const documentChanges = [...(fix.edit.documentChanges ?? [])];
    for (const file of fix.encrypted) {
      const c = contextFor(file.uri, getRoot(), settings());
      // Decrypt (MAC verified), edit, re-encrypt with the file's data key, decrypt again: only then is it offered as an edit.
      const text = await reencryptEditedCiphertext(file.original, applyTextEdits(file.original, file.edits), { filePath: c.filePath, identityOptions: c.identityOptions });
      const lineStarts = computeLineStarts(file.original);
      const whole = { start: { line: 0, character: 0 }, end: positionAt(lineStarts, file.original.length) };
      documentChanges.push({ textDocument: { uri: file.uri, version: null }, edits: [{ range: whole, newText: text }] });
    }
    const result = await connection.workspace.applyEdit({ label: fix.title, edit: { documentChanges } });
    if (!result.applied) void connection.window.showErrorMessage(`GitOps Guardrails: "${fix.title}" was not applied${result.failureReason ? `: ${result.failureReason}` : '.'}`);
  } catch (error) {
    void connection.window.showErrorMessage(`GitOps Guardrails: "${fix.title}" was not applied: ${toResponseError(error).message}`);
  }
}
