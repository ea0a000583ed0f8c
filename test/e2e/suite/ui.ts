// The extension host's half of the UI bridge (see runner/uiBridge.ts): asks the harness, which
// drives Chromium, to look at or act on the workbench, and waits for its answer.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { E2E_ENV } from './setup-env';
import { UI_BRIDGE_MARKER, type GraphFacts, type UiAnswer, type UiRequest } from './uiProtocol';

let counter = 0;

/** Whether the harness listens (it does in the extension host suite and scripts/screenshots.ts). */
export function uiBridgeAvailable(): boolean {
  return !!process.env[E2E_ENV.uiBridge];
}

type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;

export async function ui(request: WithoutId<UiRequest>, timeoutMs = 40_000): Promise<UiAnswer> {
  const dir = process.env[E2E_ENV.uiBridge];
  if (!dir) throw new Error(`the harness set no ${E2E_ENV.uiBridge}: nothing drives the workbench`);
  const id = `${process.pid}-${Date.now()}-${++counter}`;
  console.log(`${UI_BRIDGE_MARKER}${JSON.stringify({ ...request, id })}`);
  const file = path.join(dir, `${id}.json`);
  const deadline = Date.now() + timeoutMs;
  while (!fs.existsSync(file)) {
    if (Date.now() > deadline) throw new Error(`the harness did not answer ${request.action} within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const answer = JSON.parse(fs.readFileSync(file, 'utf8')) as UiAnswer;
  if (!answer.ok) throw new Error(`the harness could not ${request.action}: ${answer.error}`);
  return answer;
}

/** A screenshot of the workbench as it is now (test-results/<name>.png; media/screenshots from the script). */
export async function screenshot(name: string, settleMs?: number): Promise<void> {
  await ui({ action: 'screenshot', name, ...(settleMs ? { settleMs } : {}) });
}

export async function graphShown(): Promise<GraphFacts> {
  const answer = await ui({ action: 'graph' });
  return answer.graph!;
}
