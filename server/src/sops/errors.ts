/** Error codes let callers (CLI, LSP, VS Code commands) react without parsing messages. */
export type SopsErrorCode =
  | 'MAC_MISMATCH'
  | 'MAC_MISSING'
  | 'NOT_ENCRYPTED'
  | 'ALREADY_ENCRYPTED'
  | 'BAD_FORMAT'
  | 'DECRYPT_FAILED'
  | 'NO_IDENTITY'
  | 'NO_MATCHING_KEY'
  | 'UNSUPPORTED'
  | 'CONFIG'
  | 'NO_CREATION_RULE'
  | 'REGEX'
  | 'BINARY_MISSING'
  | 'BINARY_FAILED'
  | 'KEY_COMMAND';

/**
 * Every failure of the SOPS engine. Messages name the file and the key path, never a value,
 * because they end up in diagnostics, notifications and logs.
 */
export class SopsError extends Error {
  override readonly name = 'SopsError';
  constructor(
    readonly code: SopsErrorCode,
    message: string,
  ) {
    super(message);
  }
}
