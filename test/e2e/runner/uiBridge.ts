// The harness's half of the UI bridge: extension-host tests cannot see or touch the workbench's
// DOM (notifications, webviews, dialogs), so they ask the harness, which drives Chromium. A test
// logs one line `[gg-e2e-ui] {"id":…,"action":…}` (console output reaches the harness through
// codeAutomationLog); the harness does what it asks and writes the answer to `<dir>/<id>.json`,
// which the test waits for (suite/ui.ts). Requests are handled one at a time, in order.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RESULTS_DIR } from './paths';
import type { Workbench } from './workbench';
import { UI_BRIDGE_MARKER, type GraphFacts, type UiAnswer, type UiRequest } from '../suite/uiProtocol';

/**
 * What the graph webview shows, read from its DOM (media/graph.js). A string, so that it runs in
 * the page as written (no helpers of the TypeScript loader).
 */
const GRAPH_FACTS = `(() => {
  const select = document.getElementById('cluster');
  const canvas = document.getElementById('canvas');
  if (!select || !canvas) return undefined;
  const nodes = [...canvas.querySelectorAll('g.node')].map((node) => ({
    id: node.getAttribute('data-id') || '',
    label: node.querySelector('text.label')?.textContent || '',
    kind: [...node.classList].filter((c) => c !== 'node').join(' '),
    marker: node.querySelector('g.marker')?.getAttribute('class')?.replace(/^marker\\s*/, '') ?? null,
    count: node.querySelector('g.marker text')?.textContent ?? null,
  }));
  return { cluster: select.value, clusters: [...select.options].map((o) => o.value).filter(Boolean), nodes, message: canvas.querySelector('.message')?.textContent ?? null };
})()`;

export class UiBridge {
  private queue: Promise<void> = Promise.resolve();

  /**
   * @param dir where answers are written (the extension host gets it in E2E_ENV.uiBridge)
   * @param screenshotsDir screenshots are also written here (scripts/screenshots.ts: media/screenshots)
   */
  constructor(readonly dir: string, private readonly screenshotsDir?: string) {
    fs.mkdirSync(dir, { recursive: true });
  }

  /** Called with every line the workbench logs; acts on the bridge's requests only. */
  onLog(line: string, workbench: Workbench): void {
    const at = line.indexOf(UI_BRIDGE_MARKER);
    if (at < 0) return;
    let request: UiRequest;
    try {
      request = JSON.parse(line.slice(at + UI_BRIDGE_MARKER.length)) as UiRequest;
    } catch {
      return;
    }
    this.queue = this.queue.then(async () => {
      let answer: UiAnswer;
      try {
        answer = { ok: true, ...(await this.handle(request, workbench)) };
      } catch (error) {
        answer = { ok: false, error: error instanceof Error ? error.message : String(error) };
      }
      const file = path.join(this.dir, `${request.id}.json`);
      fs.writeFileSync(`${file}.tmp`, JSON.stringify(answer));
      fs.renameSync(`${file}.tmp`, file);
    });
  }

  private async handle(request: UiRequest, workbench: Workbench): Promise<Omit<UiAnswer, 'ok'>> {
    const page = workbench.page;
    switch (request.action) {
      case 'screenshot': {
        // Let the workbench paint what the test just did (menus and toasts animate in).
        await page.waitForTimeout(request.settleMs ?? 400);
        const file = await workbench.screenshot(request.name);
        if (this.screenshotsDir) {
          fs.mkdirSync(this.screenshotsDir, { recursive: true });
          fs.copyFileSync(file, path.join(this.screenshotsDir, `${request.name}.png`));
        }
        return { file: path.relative(RESULTS_DIR, file) };
      }
      case 'texts': {
        const locator = page.locator(request.selector);
        await locator.first().waitFor({ timeout: request.timeoutMs ?? 15_000 });
        return { texts: await locator.allInnerTexts() };
      }
      case 'click': {
        await page.locator(request.selector, request.text ? { hasText: request.text } : {}).first().click({ timeout: request.timeoutMs ?? 15_000 });
        return {};
      }
      case 'fill': {
        // A quick input (the simple file dialog of a remote workbench is one): replace, then Enter.
        const input = page.locator(request.selector);
        await input.waitFor({ state: 'visible', timeout: request.timeoutMs ?? 15_000 });
        await input.fill(request.text);
        if (request.press) await input.press(request.press);
        return {};
      }
      case 'press': {
        await page.keyboard.press(request.key);
        return {};
      }
      case 'graph': {
        // The webview is an iframe in an iframe, served from another origin: look in every frame.
        const deadline = Date.now() + (request.timeoutMs ?? 20_000);
        for (;;) {
          for (const frame of page.frames()) {
            const facts = (await frame.evaluate(GRAPH_FACTS).catch(() => undefined)) as GraphFacts | undefined;
            if (facts && facts.nodes.length > 0) return { graph: facts };
          }
          if (Date.now() > deadline) throw new Error('no frame shows the dependency graph');
          await page.waitForTimeout(250);
        }
      }
    }
  }
}
