// Helm charts in OCI registries, over the distribution API v2: anonymous bearer tokens (a 401's
// `WWW-Authenticate: Bearer realm=…,service=…,scope=…` is answered by asking the realm for a
// token, without credentials), tags, the manifest, and the chart layer fetched by digest and
// checked against it. Push (blob uploads + manifest put) serves the tests and nothing else.
// Plain HTTP is spoken only to loopback registries (as `helm --plain-http` on a local one).
import { createHash } from 'node:crypto';
import { DEFAULT_LIMITS, FetchError, request, shownUrl, type HttpLimits, type HttpResponse } from './http';
import { pickVersion } from './versions';
import type { FetchedArchive } from './helmRepository';

export const HELM_CHART_LAYER = 'application/vnd.cncf.helm.chart.content.v1.tar+gzip';
export const HELM_CONFIG = 'application/vnd.cncf.helm.config.v1+json';
const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';

export interface OciReference {
  /** `http(s)://host[:port]` of the registry's API. */
  registry: string;
  host: string;
  /** The repository path inside the registry (`org/charts/podinfo`). */
  repository: string;
}

/** `oci://host[:port]/path` → the registry and the repository path; a tag or digest is not part of it. */
export function parseOciReference(artifact: string): OciReference {
  const m = /^oci:\/\/([^/]+)\/(.+)$/i.exec(artifact.trim());
  if (!m) throw new FetchError(`"${artifact}" is not an oci:// reference`);
  const host = m[1]!;
  const repository = m[2]!.replace(/\/+$/, '').replace(/[:@].*$/, '');
  if (!/^[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$/.test(repository)) throw new FetchError(`"${repository}" is not an OCI repository name`);
  const hostname = host.replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
  const loopback = hostname === 'localhost' || /^127\./.test(hostname) || hostname === '::1';
  return { registry: `${loopback ? 'http' : 'https'}://${host}`, host, repository };
}

/** One registry session: the anonymous tokens obtained, by scope. */
export class OciClient {
  private readonly tokens = new Map<string, string>();

  constructor(private readonly limits: { manifest: HttpLimits; archive: HttpLimits } = DEFAULT_LIMITS) {}

  /** A request that answers a bearer challenge once with an anonymous token. */
  private async call(ref: OciReference, path: string, limits: HttpLimits, init: { method?: string; headers?: Record<string, string>; body?: Uint8Array } = {}, actions = 'pull'): Promise<HttpResponse> {
    const url = path.startsWith('http') ? path : `${ref.registry}${path}`;
    const scope = `repository:${ref.repository}:${actions}`;
    const withToken = () => {
      const token = this.tokens.get(`${ref.host} ${scope}`);
      return { ...init, headers: { ...init.headers, ...(token ? { authorization: `Bearer ${token}` } : {}) } };
    };
    let response = await request(url, limits, withToken());
    if (response.status === 401 && !this.tokens.has(`${ref.host} ${scope}`)) {
      const challenge = parseBearerChallenge(response.headers.get('www-authenticate'));
      if (!challenge) throw new FetchError(`${shownUrl(url)}: HTTP 401 without a bearer challenge (credentials are never sent)`);
      this.tokens.set(`${ref.host} ${scope}`, await this.anonymousToken(challenge, challenge.scope ?? scope));
      response = await request(url, limits, withToken());
    }
    return response;
  }

  private async anonymousToken(challenge: BearerChallenge, scope: string): Promise<string> {
    const realm = new URL(challenge.realm);
    if (challenge.service) realm.searchParams.set('service', challenge.service);
    realm.searchParams.set('scope', scope);
    const response = await request(realm.toString(), this.limits.manifest);
    if (response.status !== 200) throw new FetchError(`${shownUrl(challenge.realm)}: no anonymous token (HTTP ${response.status}); a private registry needs credentials, which are never used`);
    let answer: { token?: unknown; access_token?: unknown };
    try {
      answer = JSON.parse(response.body.toString('utf8'));
    } catch {
      throw new FetchError(`${shownUrl(challenge.realm)}: the token answer is not JSON`);
    }
    const token = answer.token ?? answer.access_token;
    if (typeof token !== 'string' || !token) throw new FetchError(`${shownUrl(challenge.realm)}: the answer has no token`);
    return token;
  }

  /** The repository's tags (following `Link` pages, 20 at most). */
  async tags(ref: OciReference): Promise<string[]> {
    const tags: string[] = [];
    let next: string | undefined = `/v2/${ref.repository}/tags/list?n=1000`;
    for (let page = 0; next && page < 20; page++) {
      const response = await this.call(ref, next, this.limits.manifest);
      if (response.status !== 200) throw new FetchError(`${shownUrl(ref.registry)}/v2/${ref.repository}/tags/list: HTTP ${response.status}`);
      const list = JSON.parse(response.body.toString('utf8')) as { tags?: unknown };
      if (Array.isArray(list.tags)) tags.push(...list.tags.filter((t): t is string => typeof t === 'string'));
      const link = /<([^>]+)>;\s*rel="?next"?/.exec(response.headers.get('link') ?? '');
      next = link ? new URL(link[1]!, ref.registry).toString() : undefined;
    }
    return tags;
  }

  /** The chart of the highest tag satisfying `constraint` (Helm writes `+` as `_` in tags). */
  async pullChart(ref: OciReference, constraint: string | undefined): Promise<FetchedArchive> {
    const exact = constraint?.trim();
    let version: string | undefined;
    if (exact && /^v?\d+\.\d+\.\d+([-+][0-9A-Za-z.+-]*)?$/.test(exact)) version = exact;
    else {
      const versions = (await this.tags(ref)).map((t) => t.replace(/_/g, '+'));
      version = pickVersion(versions, constraint);
      if (!version) throw new FetchError(`no tag of oci://${ref.host}/${ref.repository} satisfies "${constraint ?? '*'}"`);
    }
    const tag = version.replace(/\+/g, '_');
    const manifestPath = `/v2/${ref.repository}/manifests/${encodeURIComponent(tag)}`;
    const manifestResponse = await this.call(ref, manifestPath, this.limits.manifest, { headers: { accept: OCI_MANIFEST } });
    if (manifestResponse.status === 404) throw new FetchError(`oci://${ref.host}/${ref.repository}:${tag} does not exist`);
    if (manifestResponse.status !== 200) throw new FetchError(`oci://${ref.host}/${ref.repository}:${tag}: manifest HTTP ${manifestResponse.status}`);
    let manifest: { layers?: { mediaType?: string; digest?: string; size?: number }[] };
    try {
      manifest = JSON.parse(manifestResponse.body.toString('utf8'));
    } catch {
      throw new FetchError(`oci://${ref.host}/${ref.repository}:${tag}: the manifest is not JSON`);
    }
    const layer = (manifest.layers ?? []).find((l) => l.mediaType === HELM_CHART_LAYER);
    if (!layer || typeof layer.digest !== 'string' || !/^sha256:[0-9a-f]{64}$/.test(layer.digest)) throw new FetchError(`oci://${ref.host}/${ref.repository}:${tag} is not a Helm chart (no ${HELM_CHART_LAYER} layer)`);
    if (typeof layer.size === 'number' && layer.size > this.limits.archive.maxBytes) throw new FetchError(`oci://${ref.host}/${ref.repository}:${tag}: the chart is ${layer.size} bytes, more than the limit of ${this.limits.archive.maxBytes}`);
    const blob = await this.call(ref, `/v2/${ref.repository}/blobs/${layer.digest}`, this.limits.archive);
    if (blob.status !== 200) throw new FetchError(`oci://${ref.host}/${ref.repository}@${layer.digest}: HTTP ${blob.status}`);
    const digest = `sha256:${createHash('sha256').update(blob.body).digest('hex')}`;
    if (digest !== layer.digest) throw new FetchError(`oci://${ref.host}/${ref.repository}:${tag}: the chart layer's digest is ${digest}, not the manifest's ${layer.digest}; refused`);
    return { version, archive: blob.body, from: `oci://${ref.host}/${ref.repository}:${tag}` };
  }

  /** Pushes a chart archive as Helm does: the config and chart blobs, then the manifest under `tag`. */
  async pushChart(ref: OciReference, tag: string, archive: Uint8Array, chart: { name: string; version: string }): Promise<void> {
    const config = Buffer.from(JSON.stringify({ apiVersion: 'v2', name: chart.name, version: chart.version }));
    const configDigest = await this.uploadBlob(ref, config);
    const layerDigest = await this.uploadBlob(ref, archive);
    const manifest = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: OCI_MANIFEST,
        config: { mediaType: HELM_CONFIG, digest: configDigest, size: config.length },
        layers: [{ mediaType: HELM_CHART_LAYER, digest: layerDigest, size: archive.byteLength }],
      }),
    );
    const put = await this.call(ref, `/v2/${ref.repository}/manifests/${encodeURIComponent(tag)}`, this.limits.manifest, { method: 'PUT', headers: { 'content-type': OCI_MANIFEST }, body: manifest }, 'pull,push');
    if (put.status !== 201) throw new FetchError(`pushing the manifest of oci://${ref.host}/${ref.repository}:${tag}: HTTP ${put.status}`);
  }

  private async uploadBlob(ref: OciReference, bytes: Uint8Array): Promise<string> {
    const digest = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
    const start = await this.call(ref, `/v2/${ref.repository}/blobs/uploads/`, this.limits.manifest, { method: 'POST' }, 'pull,push');
    const location = start.headers.get('location');
    if (start.status !== 202 || !location) throw new FetchError(`starting a blob upload to oci://${ref.host}/${ref.repository}: HTTP ${start.status}`);
    const target = new URL(location, ref.registry);
    target.searchParams.set('digest', digest);
    const put = await this.call(ref, target.toString(), this.limits.archive, { method: 'PUT', headers: { 'content-type': 'application/octet-stream' }, body: bytes }, 'pull,push');
    if (put.status !== 201) throw new FetchError(`uploading a blob to oci://${ref.host}/${ref.repository}: HTTP ${put.status}`);
    return digest;
  }
}

interface BearerChallenge {
  realm: string;
  service?: string;
  scope?: string;
}

/** `Bearer realm="https://…",service="…",scope="…"` → its parameters; undefined for any other scheme. */
export function parseBearerChallenge(header: string | null): BearerChallenge | undefined {
  if (!header || !/^\s*bearer\s/i.test(header)) return undefined;
  const params: Record<string, string> = {};
  for (const m of header.replace(/^\s*bearer\s+/i, '').matchAll(/([a-zA-Z_]+)\s*=\s*(?:"([^"]*)"|([^,\s]*))/g)) params[m[1]!.toLowerCase()] = m[2] ?? m[3] ?? '';
  if (!params.realm) return undefined;
  return { realm: params.realm, service: params.service, scope: params.scope };
}
