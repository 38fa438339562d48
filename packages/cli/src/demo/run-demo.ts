// `heddle demo`: the seeds' e-commerce platform on this machine. Writes the demo's certificate, test issuer and
// plan, starts the mesh process (control plane, gateway, every service beside its sidecar), stores the
// certificate and applies examples/ecommerce/, waits until every proxy is SYNCED, drives traffic for the
// duration, checks the edge, and prints the summary. Everything stops at the end, unless --keep.
import { mkdir, readFile, rm } from 'node:fs/promises';
import type { CliIo } from '../cli-io.ts';
import { CliError } from '../cli-error.ts';
import { clientUrl } from '../control/listen-address.ts';
import { prepareDataDir } from '../control/prepare-data-dir.ts';
import type { ProcessHooks } from '../control/run-control.ts';
import { watchStopSignals } from '../control/stop-signals.ts';
import { ControlPlaneClient } from '../client/control-plane-client.ts';
import { EXIT_CODES, type ExitCode } from '../exit-codes.ts';
import { createSecret } from '../secrets/secrets-api.ts';
import { SECRET_NAMESPACE } from '../secrets/secret-namespace.ts';
import { dataPaths } from '../up/data-home.ts';
import { GATEWAY_NAMESPACE, GATEWAY_WORKLOAD } from '../up/gateway-bootstrap.ts';
import { runningPid } from '../up/pid-file.ts';
import { ProgressLines, type ProgressStep } from '../up/progress-lines.ts';
import { waitReady } from '../up/wait-ready.ts';
import { createDemoCertificates, SHOP_HOST, writeDemoCertificates } from './demo-certificate.ts';
import { applySources, exampleSources, platformSource } from './demo-config.ts';
import { createIssuerKeys, jwksUrl, loadTokenSigner } from './demo-issuer.ts';
import { demoPaths, resolveDemoDataDir } from './demo-paths.ts';
import { planDemo, writePlan, type DemoPlan } from './demo-plan.ts';
import type { DemoRequest } from './demo-request.ts';
import { summarize, type DemoSummary } from './demo-summary.ts';
import { DEMO_NAMESPACE } from './demo-workloads.ts';
import { startMeshProcess, type MeshProcess } from './mesh-process.ts';
import { proxyRows, waitSynced } from './proxy-sync.ts';
import { renderSummary } from './render-summary.ts';
import { driveTraffic } from './traffic/drive-traffic.ts';
import {
  checkHttps,
  checkPlaintext,
  checkRedirect,
  fetchTrace,
  istioRequestsTotal,
  waitStorefront,
} from './traffic/edge-checks.ts';
import { ShopClient } from './traffic/shop-client.ts';
import { metricsUrlsOf, whereToLook } from './where-to-look.ts';
import { waitWorkloadPorts, type WorkloadPorts } from './workload-ports.ts';

/** What the demo's exit code says: 0 every check passed, 1 some failed. */
const CHECKS_FAILED = EXIT_CODES.NOT_FOUND;
const INTERRUPTED = 130;

export async function runDemo(request: DemoRequest, io: CliIo, hooks: ProcessHooks): Promise<ExitCode> {
  const dataDir = await prepareDataDir(resolveDemoDataDir(request.dataDir, request.cwd), request.cwd);
  const holder = await runningPid(dataPaths(dataDir).pidFile);
  if (holder !== undefined)
    throw new CliError(
      `Heddle is already running for ${dataDir} (pid ${holder}); stop it with \`heddle down --data-dir ${dataDir}\``,
      EXIT_CODES.UNAVAILABLE,
    );
  const progress = new ProgressLines(io.stderr, io.env);
  const files = demoPaths(dataDir);
  const material = progress.step('demo certificate and test issuer');
  await mkdir(files.dir, { recursive: true });
  await writeDemoCertificates(files, await createDemoCertificates());
  await createIssuerKeys(files);
  // Bootstraps of an earlier run would tell of ports nobody listens on any more.
  await rm(dataPaths(dataDir).workloads, { recursive: true, force: true });
  const plan = await planDemo(dataDir, request.logLevel);
  await writePlan(files.plan, plan);
  material.done(`(${files.dir})`);

  const cancel = new AbortController();
  let mesh: MeshProcess | undefined;
  const stop = watchStopSignals(hooks.signals, (signal) => {
    mesh?.kill();
    hooks.forceExit(signal);
  });
  void stop.stopped.then(() => cancel.abort());
  let meshEnded = false;
  let leaveRunning = false;
  try {
    mesh = await startMeshProcess({
      planFile: files.plan,
      logFile: files.meshLog,
      env: io.env,
      keep: request.keep,
    });
    void mesh.exited.then(() => {
      meshEnded = true;
      cancel.abort();
    });
    const summary = await startAndDrive(request, io, plan, progress, mesh, cancel.signal, () => meshEnded);
    if (summary === undefined) {
      io.stderr.write('heddle: demo interrupted; stopping everything\n');
      return INTERRUPTED as ExitCode;
    }
    leaveRunning = request.keep;
    io.stdout.write(request.json ? `${JSON.stringify(summary)}\n` : renderSummary(summary));
    if (leaveRunning) {
      mesh.release();
      io.stderr.write(
        `The demo keeps running (pid ${mesh.pid ?? '?'}); stop it with: heddle down --data-dir ${dataDir}\n`,
      );
    }
    return summary.passed ? EXIT_CODES.OK : CHECKS_FAILED;
  } finally {
    stop.dispose();
    if (mesh && !leaveRunning) await mesh.stop();
  }
}

/** Undefined when a stop signal came first. */
async function startAndDrive(
  request: DemoRequest,
  io: CliIo,
  plan: DemoPlan,
  progress: ProgressLines,
  mesh: MeshProcess,
  signal: AbortSignal,
  meshEnded: () => boolean,
): Promise<DemoSummary | undefined> {
  const deadline = Date.now() + request.timeoutMs;
  const left = (): number => Math.max(1, deadline - Date.now());
  const files = demoPaths(plan.dataDir);
  const controlPlaneUrl = clientUrl({ host: plan.host, port: plan.httpPort });
  const client = new ControlPlaneClient(controlPlaneUrl);
  const fail = async (step: ProgressStep, what: string): Promise<never> => {
    const why = meshEnded() ? ((await mesh.lastMessage()) ?? 'the demo mesh stopped') : what;
    step.failed(why);
    throw new CliError(`${why}; see ${files.meshLog}`, EXIT_CODES.UNAVAILABLE);
  };
  const waitFor = async (step: ProgressStep, url: string, what: string): Promise<boolean> => {
    const outcome = await waitReady(url, left(), signal);
    if (outcome === 'ready') return true;
    if (outcome === 'aborted' && !meshEnded()) return false;
    return fail(step, what);
  };

  const controlPlane = progress.step('control plane');
  if (!(await waitFor(controlPlane, `${controlPlaneUrl}/ready`, 'the control plane did not become ready')))
    return;
  controlPlane.done(controlPlaneUrl);

  const certificate = progress.step(`certificate shop-example-cert for ${SHOP_HOST}`);
  await createSecret(
    controlPlaneUrl,
    {
      namespace: SECRET_NAMESPACE,
      name: 'shop-example-cert',
      certificateChain: await readFile(files.shopCertificate, 'utf8'),
      privateKey: await readFile(files.shopKey, 'utf8'),
    },
    true,
  );
  certificate.done();

  const config = progress.step('e-commerce config');
  const jwksUri = jwksUrl(plan.host, plan.jwksPort);
  const applied = await applySources(client, [
    ...(await exampleSources(jwksUri)),
    platformSource(plan.httpPort),
  ]);
  config.done(`(${applied} resources from examples/ecommerce/ and the demo's platform settings)`);

  const gateway = progress.step('ingress gateway');
  const gatewayHealth = `http://${plan.host}:${plan.gatewayHealthPort}/healthz/ready`;
  if (!(await waitFor(gateway, gatewayHealth, 'the ingress gateway did not become ready'))) return;
  gateway.done();

  const services = progress.step(`${plan.workloads.length} workloads beside their sidecars`);
  const ports = new Map<string, WorkloadPorts>();
  for (const workload of plan.workloads) {
    const found = await waitWorkloadPorts(plan.dataDir, workload.name, left(), signal);
    if (found === undefined) {
      if (signal.aborted && !meshEnded()) return;
      await fail(services, `${workload.name} was not started`);
    }
    if (found === undefined) return;
    ports.set(workload.name, found);
    if (!workload.serves) continue;
    const health = `http://${plan.host}:${found.appPort}/healthz`;
    if (!(await waitFor(services, health, `${workload.name} did not start`))) return;
  }
  services.done();

  const expected = [
    `${GATEWAY_WORKLOAD}.${GATEWAY_NAMESPACE}`,
    ...plan.workloads.map((w) => `${w.name}.${DEMO_NAMESPACE}`),
  ];
  const syncing = progress.step('proxies SYNCED');
  const rows = await waitSynced(client, expected, left(), signal);
  if (signal.aborted && !meshEnded()) return;
  const behind = rows.filter((row) => row.status !== 'SYNCED');
  if (behind.length > 0)
    await fail(syncing, `not SYNCED: ${behind.map((r) => `${r.name} ${r.status}`).join(', ')}`);
  syncing.done(`(${rows.length})`);

  const signer = await loadTokenSigner(files.issuerKey);
  const token = await signer.sign('customer-42', 'Ada Customer');
  const shop = new ShopClient({
    host: plan.host,
    httpsPort: plan.gatewayHttpsPort,
    httpPort: plan.gatewayHttpPort,
    hostname: SHOP_HOST,
    ca: await readFile(files.caCertificate, 'utf8'),
  });
  try {
    const storefront = progress.step(`https://${SHOP_HOST} (storefront)`);
    const reachable = await waitStorefront(shop, { authorization: `Bearer ${token}` }, left(), signal);
    if (!reachable.ok) {
      if (signal.aborted && !meshEnded()) return;
      await fail(storefront, `the storefront does not answer 200: ${reachable.last}`);
    }
    storefront.done();

    io.stderr.write(`Driving traffic for ${request.durationMs / 1000} s at ${request.rps} requests/s…\n`);
    const client = plan.workloads.find((w) => !w.serves);
    const traffic = await driveTraffic({
      shop,
      signer,
      clientOutboundPort: (client && ports.get(client.name)?.outboundPort) ?? 0,
      orderHost: `order.${DEMO_NAMESPACE}.svc.cluster.local`,
      rps: request.rps,
      durationMs: request.durationMs,
      signal,
    });
    if (signal.aborted) return;
    const strictTargets = ['order', 'product-v1', 'frontend'].flatMap((name) => {
      const workload = plan.workloads.find((w) => w.name === name);
      const meshPort = ports.get(name)?.meshPort ?? 0;
      return workload && meshPort > 0
        ? [{ workload: name, port: meshPort, host: `${workload.app}.${DEMO_NAMESPACE}` }]
        : [];
    });
    const [https, redirect, plaintext, trace, proxies] = await Promise.all([
      checkHttps(shop, { authorization: `Bearer ${token}` }),
      checkRedirect(shop, SHOP_HOST),
      checkPlaintext(strictTargets),
      fetchTrace(controlPlaneUrl, traffic.traceId),
      new ControlPlaneClient(controlPlaneUrl).proxyStatuses().then(
        (statuses) => proxyRows(expected, statuses),
        () => proxyRows(expected, []),
      ),
    ]);
    const metricsUrls = metricsUrlsOf(plan, ports);
    const gatewayMetrics = metricsUrls[expected[0] ?? ''];
    const gatewayTotal = gatewayMetrics === undefined ? undefined : await istioRequestsTotal(gatewayMetrics);
    return summarize({
      dataDir: plan.dataDir,
      rps: request.rps,
      traffic,
      https,
      redirect,
      plaintext,
      proxies,
      trace,
      ...(gatewayTotal !== undefined ? { gatewayIstioRequestsTotal: gatewayTotal } : {}),
      metricsUrls,
      where: whereToLook(plan, controlPlaneUrl, request.keep),
      kept: request.keep,
    });
  } finally {
    shop.close();
  }
}
