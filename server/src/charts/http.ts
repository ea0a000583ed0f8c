// Bounded HTTP GETs (and the few writes an OCI push needs): a timeout on the whole exchange, a
// size limit on every body, no credentials ever sent but an anonymous registry token, and URLs
// carrying a user or password refused (none is read from the repository or used from elsewhere).

export interface HttpLimits {
  /** Milliseconds for the whole request, body included. */
  timeoutMs: number;
  /** Bytes a body may have. */
  maxBytes: number;
}

export const DEFAULT_LIMITS = {
  index: { timeoutMs: 30_000, maxBytes: 64 * 1024 * 1024 },
  archive: { timeoutMs: 60_000, maxBytes: 20 * 1024 * 1024 },
  manifest: { timeoutMs: 30_000, maxBytes: 4 * 1024 * 1024 },
} satisfies Record<string, HttpLimits>;

export class FetchError extends Error {
  override name = 'FetchError';
}

export interface HttpResponse {
  status: number;
  headers: Headers;
  body: Buffer;
  url: string;
}

/** A URL as it may be shown: never with a user or password. */
export function shownUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    const shown = u.toString();
    return shown.endsWith('/') && !url.endsWith('/') ? shown.slice(0, -1) : shown;
  } catch {
    return '(an invalid URL)';
  }
}

/** Checks a URL before it is requested: http(s) only, no credentials in it. */
export function checkedUrl(url: string): URL {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new FetchError(`"${shownUrl(url)}" is not a URL`);
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new FetchError(`${shownUrl(url)}: only http and https are fetched`);
  if (u.username || u.password) throw new FetchError(`${shownUrl(url)}: a URL with credentials is not fetched`);
  return u;
}

/** One request; the body is read up to `limits.maxBytes` (more fails), all within `limits.timeoutMs`. */
export async function request(url: string, limits: HttpLimits, init: { method?: string; headers?: Record<string, string>; body?: Uint8Array } = {}): Promise<HttpResponse> {
  const target = checkedUrl(url);
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), limits.timeoutMs);
  try {
    const response = await fetch(target, { method: init.method ?? 'GET', headers: init.headers, body: init.body, redirect: 'follow', signal: controller.signal });
    if (response.redirected) checkedUrl(response.url);
    const declared = Number(response.headers.get('content-length') ?? 'NaN');
    if (declared > limits.maxBytes) {
      controller.abort();
      throw new FetchError(`${shownUrl(url)}: ${declared} bytes, more than the limit of ${limits.maxBytes}`);
    }
    const chunks: Uint8Array[] = [];
    let size = 0;
    if (response.body) {
      const reader = response.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        size += value.byteLength;
        if (size > limits.maxBytes) {
          controller.abort();
          throw new FetchError(`${shownUrl(url)}: more than the limit of ${limits.maxBytes} bytes`);
        }
        chunks.push(value);
      }
    }
    return { status: response.status, headers: response.headers, body: Buffer.concat(chunks), url: response.url || url };
  } catch (error) {
    if (error instanceof FetchError) throw error;
    if (controller.signal.aborted) throw new FetchError(`${shownUrl(url)}: no complete answer within ${limits.timeoutMs / 1000} s`);
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    throw new FetchError(`${shownUrl(url)}: ${cause ?? (error as Error).message}`);
  } finally {
    clearTimeout(timer);
  }
}

/** A GET that must answer 200. */
export async function getOk(url: string, limits: HttpLimits, headers?: Record<string, string>): Promise<HttpResponse> {
  const response = await request(url, limits, { headers });
  if (response.status !== 200) throw new FetchError(`${shownUrl(url)}: HTTP ${response.status}`);
  return response;
}
