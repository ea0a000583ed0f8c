// Fixture charts and real chart servers on 127.0.0.1 for the chart tests: charts packaged with the
// tar library, a static Helm repository served by Python's http.server, and Debian's
// docker-registry (the distribution registry) started with a temporary config.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tar from 'tar';
import { stringify } from 'yaml';

export interface FixtureChart {
  name: string;
  version: string;
  values?: string;
  schema?: unknown;
  crds?: Record<string, string>;
  /** Unpacked subcharts under charts/. */
  subcharts?: FixtureChart[];
}

function writeChart(folder: string, chart: FixtureChart): void {
  mkdirSync(folder, { recursive: true });
  writeFileSync(path.join(folder, 'Chart.yaml'), `apiVersion: v2\nname: ${chart.name}\nversion: ${chart.version}\n`);
  if (chart.values !== undefined) writeFileSync(path.join(folder, 'values.yaml'), chart.values);
  if (chart.schema !== undefined) writeFileSync(path.join(folder, 'values.schema.json'), JSON.stringify(chart.schema, null, 2));
  for (const [file, text] of Object.entries(chart.crds ?? {})) {
    mkdirSync(path.join(folder, 'crds'), { recursive: true });
    writeFileSync(path.join(folder, 'crds', file), text);
  }
  mkdirSync(path.join(folder, 'templates'), { recursive: true });
  writeFileSync(path.join(folder, 'templates', 'configmap.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\n');
  for (const sub of chart.subcharts ?? []) writeChart(path.join(folder, 'charts', sub.name), sub);
}

/** A chart packaged as `helm package` lays it out: `<name>/…` in a gzipped tar. */
export function packageChart(chart: FixtureChart): Buffer {
  const work = mkdtempSync(path.join(os.tmpdir(), 'gg-chart-'));
  try {
    writeChart(path.join(work, chart.name), chart);
    const file = path.join(work, 'chart.tgz');
    tar.c({ gzip: true, file, cwd: work, sync: true, portable: true }, [chart.name]);
    return readFileSync(file);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Writes archives and their index.yaml into `folder` (relative URLs, as `helm repo index` writes). */
export function writeHelmRepository(folder: string, charts: { chart: FixtureChart; archive?: Buffer; digest?: string }[]): void {
  mkdirSync(folder, { recursive: true });
  const entries: Record<string, unknown[]> = {};
  for (const { chart, archive = packageChart(chart), digest } of charts) {
    const file = `${chart.name}-${chart.version}.tgz`;
    writeFileSync(path.join(folder, file), archive);
    (entries[chart.name] ??= []).push({ apiVersion: 'v2', name: chart.name, version: chart.version, urls: [file], digest: digest ?? sha256(archive), created: '2026-12-01T00:00:00Z' });
  }
  writeFileSync(path.join(folder, 'index.yaml'), stringify({ apiVersion: 'v1', entries, generated: '2026-12-01T00:00:00Z' }));
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}

export interface RunningServer {
  url: string;
  port: number;
  stop(): Promise<void>;
}

async function waitUntilAnswers(url: string, child: ChildProcess, what: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${what} exited (${child.exitCode ?? child.signalCode})`);
    const ok = await fetch(url).then(
      (r) => r.status < 500,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what} did not answer at ${url} within 20 s`);
}

function stopper(child: ChildProcess, cleanup?: () => void): () => Promise<void> {
  return async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    cleanup?.();
  };
}

/** Python's http.server serving `folder` on 127.0.0.1. */
export async function serveFolder(folder: string): Promise<RunningServer> {
  const port = await freePort();
  const child = spawn('python3', ['-m', 'http.server', String(port), '--bind', '127.0.0.1', '--directory', folder], { stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}`;
  await waitUntilAnswers(`${url}/`, child, 'python3 -m http.server');
  return { url, port, stop: stopper(child) };
}

/** The registry binary Debian's docker-registry package installs, when it is installed. */
export const REGISTRY_BINARY = ['/usr/bin/docker-registry', '/usr/sbin/docker-registry'].find((p) => existsSync(p));

/** Why the registry tests cannot run here, or undefined when they can. */
export function registryMissing(): string | undefined {
  if (!REGISTRY_BINARY) return 'Debian package docker-registry is not installed (apt-get install docker-registry; .ci/run installs it)';
  const version = spawnSync(REGISTRY_BINARY, ['--version'], { encoding: 'utf8' });
  return version.status === 0 ? undefined : `docker-registry --version failed: ${version.stderr}`;
}

/** A real distribution registry on 127.0.0.1 with a temporary storage folder; `extraConfig` is merged into its config. */
export async function startRegistry(extraConfig: Record<string, unknown> = {}): Promise<RunningServer & { folder: string }> {
  const folder = mkdtempSync(path.join(os.tmpdir(), 'gg-registry-'));
  const port = await freePort();
  const config = {
    version: 0.1,
    log: { level: 'error', accesslog: { disabled: true } },
    storage: { filesystem: { rootdirectory: path.join(folder, 'data') }, delete: { enabled: true } },
    http: { addr: `127.0.0.1:${port}`, secret: 'gitops-guardrails-test' },
    ...extraConfig,
  };
  writeFileSync(path.join(folder, 'config.yml'), stringify(config));
  const child = spawn(REGISTRY_BINARY!, ['serve', path.join(folder, 'config.yml')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr = (stderr + String(chunk)).slice(-4000)));
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitUntilAnswers(`${url}/v2/`, child, 'docker-registry');
  } catch (error) {
    child.kill('SIGTERM');
    throw new Error(`${(error as Error).message}\n${stderr}`);
  }
  return { url, port, folder, stop: stopper(child, () => rmSync(folder, { recursive: true, force: true })) };
}

/**
 * A token server for the registry's `auth: token` mode, as a public registry runs one: it hands an
 * anonymous client a JWT (ES256, its certificate in `x5c`) for whatever scope is asked, and counts
 * the tokens given. The registry verifies the token against the certificate in its config.
 */
export async function startTokenServer(service: string): Promise<{ realm: string; certificate: string; issued: () => number; close(): Promise<void> }> {
  const { createServer: createHttpServer } = await import('node:http');
  const { createPrivateKey, sign, X509Certificate, randomBytes } = await import('node:crypto');
  const folder = mkdtempSync(path.join(os.tmpdir(), 'gg-token-'));
  const keyFile = path.join(folder, 'key.pem');
  const certificate = path.join(folder, 'cert.pem');
  const made = spawnSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', keyFile, '-out', certificate, '-days', '1', '-subj', '/CN=gitops-guardrails-test-token'], { encoding: 'utf8' });
  if (made.status !== 0) throw new Error(`openssl could not make the token certificate: ${made.stderr}`);
  const key = createPrivateKey(readFileSync(keyFile));
  const der = new X509Certificate(readFileSync(certificate)).raw.toString('base64');
  const b64url = (value: Buffer | string) => Buffer.from(value).toString('base64url');
  let issued = 0;
  const server = createHttpServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== '/token' || request.headers.authorization) {
      response.writeHead(url.pathname === '/token' ? 400 : 404).end();
      return;
    }
    const now = Math.floor(Date.now() / 1000);
    const access = url.searchParams.getAll('scope').flatMap((scope) => {
      const [type, name, actions] = scope.split(':');
      return type && name && actions ? [{ type, name, actions: actions.split(',') }] : [];
    });
    const header = b64url(JSON.stringify({ typ: 'JWT', alg: 'ES256', x5c: [der] }));
    const claims = b64url(JSON.stringify({ iss: 'gitops-guardrails-test', sub: '', aud: url.searchParams.get('service') ?? service, exp: now + 300, nbf: now - 60, iat: now, jti: randomBytes(8).toString('hex'), access }));
    const signature = b64url(sign('sha256', Buffer.from(`${header}.${claims}`), { key, dsaEncoding: 'ieee-p1363' }));
    issued++;
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ token: `${header}.${claims}.${signature}`, expires_in: 300 }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    realm: `http://127.0.0.1:${port}/token`,
    certificate,
    issued: () => issued,
    close: () =>
      new Promise<void>((resolve) =>
        server.close(() => {
          rmSync(folder, { recursive: true, force: true });
          resolve();
        }),
      ),
  };
}
