// The Fetch Charts command: asks the server to fetch every HelmRelease's chart into the cache and
// says what it did. In Restricted Mode the server refuses, and the user is told why.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { FetchChartsRequest, type FetchChartsResult } from '../../server/src/protocol';

export const FETCH_CHARTS_COMMAND = 'gitopsGuardrails.charts.fetch';

/** The notification's text for a fetch's result. */
export function describeFetch(result: FetchChartsResult): string {
  if (result.refused) return result.refused;
  const total = result.fetched + result.cached + result.failed;
  if (total === 0) return 'No HelmRelease takes its chart from a Helm repository or an OCI registry: nothing to fetch.';
  return `Charts: ${result.fetched} fetched, ${result.cached} already cached, ${result.failed} failed.`;
}

export function registerChartCommands(context: vscode.ExtensionContext, client: LanguageClient): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(FETCH_CHARTS_COMMAND, async (): Promise<FetchChartsResult | undefined> => {
      const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'GitOps Guardrails: fetching charts…' }, () => client.sendRequest(FetchChartsRequest));
      // The server logged each chart's line in the GitOps Guardrails channel.
      const message = describeFetch(result);
      if (result.refused || result.failed > 0) void vscode.window.showWarningMessage(message);
      else void vscode.window.showInformationMessage(message);
      return result;
    }),
  );
}
