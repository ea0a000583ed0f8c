// Fetching charts from the editor: the Fetch Charts command, and after indexing what
// `gitopsGuardrails.charts.fetch` says (ask: one notification naming the hosts; always; never).
// Never in an untrusted workspace. After a fetch the model gets fresh stores and is re-checked.
import { chartSources } from '../charts/sources';
import { chartStores, type ChartStores } from '../charts/stores';
import { describeOutcome, fetchableSources, hostsOf, pendingSources, pullCharts } from '../charts/pull';
import type { FetchChartsResult } from '../protocol';
import type { RepoModel } from '../model/model';
import type { ChartFetchSetting } from '../settings';

export interface ChartFetchHost {
  model(): RepoModel | undefined;
  trusted(): boolean;
  setting(): ChartFetchSetting;
  /** Shows one notification with these actions; resolves to the one chosen. */
  ask(message: string, actions: string[]): Promise<string | undefined>;
  /** The model's charts changed: re-check and tell the views. */
  changed(): void;
  log(message: string): void;
}

export const FETCH_ACTION = 'Fetch Charts';
export const NOT_NOW_ACTION = 'Not Now';

export class ChartFetching {
  private current: ChartStores;
  private asked = false;
  private running: Promise<FetchChartsResult> | undefined;

  constructor(
    private readonly host: ChartFetchHost,
    private readonly fallbackCacheDir: string | undefined,
  ) {
    this.current = chartStores(process.env, fallbackCacheDir);
  }

  /** The stores a model reads (the Helm cache, our cache). */
  get stores(): ChartStores['stores'] {
    return this.current.stores;
  }

  /** After indexing (and when trust or the setting changes): fetch, offer to, or do nothing. */
  async afterIndex(): Promise<void> {
    const model = this.host.model();
    const setting = this.host.setting();
    if (!model || !this.host.trusted() || setting === 'never') return;
    const pending = pendingSources(fetchableSources(chartSources(model).map((r) => r.source)), this.current.cache, this.current.offline);
    if (pending.length === 0) return;
    if (setting === 'always') {
      await this.fetch();
      return;
    }
    if (this.asked) return;
    this.asked = true;
    const hosts = hostsOf(pending);
    const choice = await this.host.ask(
      `GitOps Guardrails can fetch ${pending.length} Helm chart${pending.length === 1 ? '' : 's'} from ${hosts.join(', ')} to check HelmRelease values against them. Fetch now?`,
      [FETCH_ACTION, NOT_NOW_ACTION],
    );
    if (choice === FETCH_ACTION) await this.fetch();
  }

  /** The Fetch Charts command (one run at a time). */
  fetch(): Promise<FetchChartsResult> {
    this.running ??= this.run().finally(() => (this.running = undefined));
    return this.running;
  }

  private async run(): Promise<FetchChartsResult> {
    const empty = { fetched: 0, cached: 0, failed: 0, lines: [] };
    if (!this.host.trusted()) return { ...empty, refused: 'Charts are not fetched in Restricted Mode: trust the workspace to fetch them.' };
    const model = this.host.model();
    if (!model) return { ...empty, refused: 'No workspace is indexed.' };
    const sources = fetchableSources(chartSources(model).map((r) => r.source));
    const outcomes = await pullCharts(sources, this.current.cache, { offline: this.current.offline });
    const result: FetchChartsResult = {
      fetched: outcomes.filter((o) => o.status === 'fetched').length,
      cached: outcomes.filter((o) => o.status === 'cached').length,
      failed: outcomes.filter((o) => o.status === 'failed').length,
      lines: outcomes.map(describeOutcome),
    };
    for (const line of result.lines) this.host.log(`gitops-guardrails: charts: ${line}`);
    if (result.fetched > 0) {
      // Fresh stores: nothing read before the fetch is remembered.
      this.current = chartStores(process.env, this.fallbackCacheDir);
      model.setChartStores(this.current.stores);
      this.host.changed();
    }
    return result;
  }
}
