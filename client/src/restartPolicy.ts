// When the language server stops unexpectedly: restart it, and say so once. Pure (no vscode), so
// the policy is unit-tested; extension.ts turns its decisions into the client's CloseAction.

export interface RestartDecision {
  restart: boolean;
  /** What to tell the user, when anything: the first restart, and giving up. */
  message?: string;
}

export class RestartPolicy {
  private restarts: number[] = [];
  private told = false;

  /** At most `maxRestarts` restarts within `windowMs`; past that the server stays stopped. */
  constructor(
    private readonly maxRestarts = 4,
    private readonly windowMs = 3 * 60_000,
  ) {}

  closed(now = Date.now()): RestartDecision {
    this.restarts = this.restarts.filter((at) => now - at <= this.windowMs);
    if (this.restarts.length >= this.maxRestarts) {
      return {
        restart: false,
        message: `The GitOps Guardrails language server stopped ${this.maxRestarts + 1} times within ${Math.round(this.windowMs / 60_000)} minutes and is not restarted again. The "GitOps Guardrails" output channel has the details; reload the window to start it again.`,
      };
    }
    this.restarts.push(now);
    if (this.told) return { restart: true };
    this.told = true;
    return { restart: true, message: 'The GitOps Guardrails language server stopped unexpectedly and was restarted. The "GitOps Guardrails" output channel has the details.' };
  }
}
