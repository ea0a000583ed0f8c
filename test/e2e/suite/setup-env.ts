// Environment variables the harness sets on the VS Code server for the extension-host tests
// (the extension host inherits them). Shared by both sides, so the names live only here.
export const E2E_ENV = {
  /** Where index.ts writes the outcome of every test as JSON, for the harness to report. */
  results: 'GG_E2E_RESULTS',
  /** Runs only the tests whose full title matches this regular expression. */
  grep: 'GG_E2E_GREP',
  /** The folder the tested copy of the extension must live in (the repo, or the installed .vsix). */
  expectedExtensionRoot: 'GG_E2E_EXPECTED_EXTENSION_ROOT',
  /** A JSON file with what `gitops-guardrails check` reports on the workspace, one formatted finding each. */
  cliFindings: 'GG_E2E_CLI_FINDINGS',
  /** Set when the workspace is opened untrusted (Restricted Mode): the file a SOPS-only format needs the binary for. */
  restrictedSopsFile: 'GG_E2E_RESTRICTED_SOPS_FILE',
  /** Where the harness answers the UI bridge's requests (runner/uiBridge.ts, suite/ui.ts). */
  uiBridge: 'GG_E2E_UI_BRIDGE',
} as const;
