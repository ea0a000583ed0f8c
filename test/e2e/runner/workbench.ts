import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { format } from 'node:util';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM, RESULTS_DIR } from './paths';
import { removeAtExit, removeTemporaryDir } from './processes';
import type { UiBridge } from './uiBridge';
import type { VsCodeServer } from './vscodeServer';

const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/** Messages the workbench always logs here and that say nothing about the extension. */
const HARMLESS_CONSOLE = [/404 \(Not Found\)/, /marketplace|gallery/i, /ERR_NAME_NOT_RESOLVED|ERR_INTERNET_DISCONNECTED/];

/** One Chromium with a fresh profile; each session is a page in it. */
export class Browser {
  private constructor(private readonly context: BrowserContext, private readonly profileDir: string) {}

  /** `viewport`: the window's size in CSS pixels (scripts/screenshots.ts takes smaller pictures). */
  static async launch(viewport = { width: 1400, height: 900 }): Promise<Browser> {
    const profileDir = removeAtExit(fs.mkdtempSync(path.join(os.tmpdir(), 'gg-e2e-chromium-')));
    const context = await chromium.launchPersistentContext(profileDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_FLAGS,
      viewport,
      timeout: 60_000,
    });
    return new Browser(context, profileDir);
  }

  async newPage(): Promise<Page> {
    return this.context.newPage();
  }

  async close(): Promise<void> {
    await this.context.close().catch(() => undefined);
    removeTemporaryDir(this.profileDir);
  }
}

/** A workbench page with its console collected, for failure messages. */
export class Workbench {
  readonly console: string[] = [];

  constructor(readonly page: Page) {
    page.on('console', (message) => {
      const text = message.text();
      if (!HARMLESS_CONSOLE.some((pattern) => pattern.test(text))) this.console.push(`[${message.type()}] ${text}`);
    });
    page.on('pageerror', (error) => this.console.push(`[pageerror] ${error.message}`));
  }

  /** Opens the workbench and waits until it is laid out. */
  async open(url: string, timeoutMs = 60_000): Promise<void> {
    await this.page.goto(url, { timeout: timeoutMs });
    await this.page.locator('.monaco-workbench').waitFor({ timeout: timeoutMs });
  }

  async screenshot(name: string): Promise<string> {
    fs.mkdirSync(RESULTS_DIR, { recursive: true });
    const file = path.join(RESULTS_DIR, `${name}.png`);
    await this.page.screenshot({ path: file });
    return file;
  }

  /** Runs a command the way a person does: F1, type its label, pick the matching entry. */
  async runCommandFromPalette(label: string): Promise<void> {
    await this.page.locator('.monaco-workbench').click({ position: { x: 5, y: 5 }, force: true }).catch(() => undefined);
    await this.page.keyboard.press('F1');
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible', timeout: 10_000 });
    await input.fill(`>${label}`);
    const entry = this.page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: label }).first();
    await entry.click({ timeout: 10_000 });
    await this.page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 10_000 });
  }

  /** Opens the Problems panel and returns the text of its visible rows once there are some. */
  async problemsPanelRows(predicate: (rows: string[]) => boolean, timeoutMs = 30_000): Promise<string[]> {
    // The shortcut toggles the panel, so it is pressed only while the panel is hidden.
    if (!(await this.page.locator('.markers-panel').isVisible())) {
      await this.page.locator('.monaco-workbench').click({ position: { x: 5, y: 5 }, force: true }).catch(() => undefined);
      await this.page.keyboard.press('Control+Shift+M');
    }
    const rows = this.page.locator('.markers-panel .monaco-list-row');
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const texts = await rows.allInnerTexts().catch(() => [] as string[]);
      if (texts.length > 0 && predicate(texts)) return texts;
      if (Date.now() > deadline) {
        throw new Error(`the Problems panel did not list the expected findings within ${timeoutMs / 1000} s; rows:\n${texts.join('\n') || '(none)'}`);
      }
      await this.page.waitForTimeout(250);
    }
  }

  /**
   * Scrolls a (virtualised) list until a row with `text` is rendered and returns that row,
   * since rows far down a list do not exist in the DOM until they are scrolled into view.
   */
  async scrollListToRow(listSelector: string, text: string | RegExp, timeoutMs = 15_000): Promise<void> {
    const list = this.page.locator(listSelector).first();
    await list.waitFor({ timeout: timeoutMs });
    const row = list.locator('.monaco-list-row', { hasText: text }).first();
    const deadline = Date.now() + timeoutMs;
    while (!(await row.isVisible())) {
      if (Date.now() > deadline) {
        const shown = await list.locator('.monaco-list-row').allInnerTexts();
        throw new Error(`no row ${String(text)} in ${listSelector}; rows seen last:\n${shown.map((t) => t.split('\n')[0]).join('\n')}`);
      }
      await list.hover();
      await this.page.mouse.wheel(0, 200);
      await this.page.waitForTimeout(100);
    }
    await row.scrollIntoViewIfNeeded();
  }

  /** The notifications currently shown, e.g. to check that a command did not fail. */
  async notifications(): Promise<string[]> {
    return this.page.locator('.notifications-toasts .notification-list-item').allInnerTexts();
  }
}

export interface ExtensionTestRun {
  exitCode: number;
  /** Lines the workbench passed to codeAutomationLog. */
  log: string[];
  console: string[];
}

/**
 * Runs an extensionTestsPath entry inside the extension host and waits for its exit code,
 * which the workbench hands to `codeAutomationExit` once `run()` settles.
 */
export async function runExtensionTests(
  browser: Browser,
  server: VsCodeServer,
  options: { folder: string; extensionPath: string; testsPath: string; timeoutMs: number; screenshotName?: string; bridge?: UiBridge },
): Promise<ExtensionTestRun> {
  const page = await browser.newPage();
  const workbench = new Workbench(page);
  const log: string[] = [];
  let exit!: (code: number) => void;
  const exited = new Promise<number>((resolve) => (exit = resolve));
  await page.exposeFunction('codeAutomationLog', (level: unknown, args: unknown) => {
    const line = `[${String(level)}] ${Array.isArray(args) ? format(...args) : String(args)}`;
    log.push(line);
    options.bridge?.onLog(line, workbench);
  });
  await page.exposeFunction('codeAutomationExit', (code: unknown) => exit(Number(code)));
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(
      `the extension host tests did not finish within ${options.timeoutMs / 1000} s ` +
      '(no codeAutomationExit); see the workbench console below and test-results/\n' +
      [...log, ...workbench.console].slice(-60).join('\n'))), options.timeoutMs);
  });
  try {
    const url = server.workbenchUrl(options.folder, { extensionPath: options.extensionPath, testsPath: options.testsPath });
    const exitCode = await Promise.race([workbench.open(url, options.timeoutMs).then(() => exited), timedOut]);
    return { exitCode, log, console: workbench.console };
  } catch (error) {
    // After a normal exit the extension host is gone and a picture shows nothing; a hung one is worth seeing.
    if (options.screenshotName) await workbench.screenshot(options.screenshotName).catch(() => undefined);
    throw error;
  } finally {
    clearTimeout(timer);
    await page.close().catch(() => undefined);
  }
}
