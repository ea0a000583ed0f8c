// The SOPS requests of `protocol.ts`, with errors turned into what a notification can show. The
// texts travel in memory over the language server connection; nothing here writes them anywhere.
import * as vscode from 'vscode';
import { ResponseError, type LanguageClient } from 'vscode-languageclient/node';
import {
  SopsDecryptRequest,
  SopsEncryptRequest,
  SopsReencryptRequest,
  SopsRepairRequest,
  SopsStatusRequest,
  type SopsRepairResult,
  type SopsStatus,
} from '../../../server/src/protocol';

/** A failed SOPS request: the engine's message (no plaintext) and its stable code. */
export class SopsRequestError extends Error {
  constructor(
    message: string,
    readonly sopsCode?: string,
  ) {
    super(message);
  }
}

export class SopsRequests {
  constructor(private readonly client: LanguageClient) {}

  private async call<R>(request: () => Promise<R>): Promise<R> {
    try {
      return await request();
    } catch (error) {
      if (error instanceof ResponseError) throw new SopsRequestError(error.message, (error.data as { sopsCode?: string } | undefined)?.sopsCode);
      throw new SopsRequestError(`the language server did not answer (${(error as Error).name})`);
    }
  }

  /**
   * A verbose LSP trace logs every message's content to the output channel, which VS Code keeps in
   * a log file: with it on, no plaintext may travel to or from the server.
   */
  private refuseWhileTracing(): void {
    if (vscode.workspace.getConfiguration('gitopsGuardrails').get<string>('trace.server') === 'verbose') {
      throw new SopsRequestError('SOPS commands are off while "gitopsGuardrails.trace.server" is "verbose": the trace would write the decrypted text to VS Code\'s log files');
    }
  }

  private uri(uri: vscode.Uri): string {
    return this.client.code2ProtocolConverter.asUri(uri);
  }

  async encrypt(uri: vscode.Uri, text: string): Promise<string> {
    this.refuseWhileTracing();
    return (await this.call(() => this.client.sendRequest(SopsEncryptRequest, { uri: this.uri(uri), text }))).text;
  }

  async decrypt(uri: vscode.Uri, text: string): Promise<string> {
    this.refuseWhileTracing();
    return (await this.call(() => this.client.sendRequest(SopsDecryptRequest, { uri: this.uri(uri), text }))).text;
  }

  async reencrypt(uri: vscode.Uri, original: string, edited: string): Promise<string> {
    this.refuseWhileTracing();
    return (await this.call(() => this.client.sendRequest(SopsReencryptRequest, { uri: this.uri(uri), original, edited }))).text;
  }

  async repair(uri: vscode.Uri, text: string): Promise<SopsRepairResult> {
    this.refuseWhileTracing();
    return this.call(() => this.client.sendRequest(SopsRepairRequest, { uri: this.uri(uri), text }));
  }

  status(uri: vscode.Uri, text: string): Promise<SopsStatus> {
    return this.call(() => this.client.sendRequest(SopsStatusRequest, { uri: this.uri(uri), text }));
  }
}
