// `heddle x monitoring`: the Prometheus alert rules and Grafana dashboards for a Heddle mesh, printed for
// `promtool`, a rule_files entry, a PrometheusRule, or Grafana's dashboard import.
import { Command, Option } from 'commander';
import { stringify } from 'yaml';
import { EXIT_CODES } from '../exit-codes.ts';
import { DEFAULT_ALERT_OPTIONS, meshAlertRules, prometheusRuleResource } from '../monitoring/alert-rules.ts';
import { DASHBOARDS, grafanaDashboard, type DashboardName } from '../monitoring/grafana/dashboards.ts';
import { choiceOption } from '../program/choice-option.ts';
import type { CommandContext } from '../program/command-context.ts';
import { UsageError } from '../usage-error.ts';

interface AlertsOptions {
  readonly format: 'rules' | 'prometheus-rule';
  readonly output: 'yaml' | 'json';
  readonly namespace: string;
  readonly controlPlaneJob: string;
  readonly for?: string;
  readonly errorRate: string;
  readonly latencyMs: string;
}

interface GrafanaOptions {
  readonly dashboard: DashboardName | 'all';
}

const DURATION = /^(\d+(ms|s|m|h|d|w|y))+$/;

const ALERTS_DETAILS = `
Alerts: HeddleHighErrorRate, HeddleHighLatency, HeddleConnectionPoolOverflow, HeddleOutlierEjections,
HeddleProxyHighMemory, HeddleControlPlaneDown, HeddlePushErrors, HeddleConfigRejected,
HeddleControlPlaneHighMemory — the seeds' alerts on the metrics Heddle exports (istio_*, envoy_*, pilot_*).

Examples:
  heddle x monitoring alerts > heddle-rules.yaml && promtool check rules heddle-rules.yaml
  heddle x monitoring alerts --format prometheus-rule --namespace monitoring | kubectl apply -f -
  heddle x monitoring alerts --control-plane-job istiod --for 1m`;

const GRAFANA_DETAILS = `
Dashboards: mesh (every service), service, workload, control-plane. Import the JSON in Grafana
(Dashboards → New → Import); it asks for the Prometheus data source. With --dashboard all, one JSON array.

Examples:
  heddle x monitoring grafana --dashboard service > heddle-service.json`;

function positiveNumber(flag: string, value: string, max = Number.POSITIVE_INFINITY): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || n > max)
    throw new UsageError(`${flag}: ${JSON.stringify(value)} is not a valid value`);
  return n;
}

function buildAlertsCommand(context: CommandContext): Command {
  return new Command('alerts')
    .summary('print Prometheus alert rules for the mesh')
    .description('Prints Prometheus alerting rule groups for the mesh, the data plane and the control plane.')
    .addOption(
      choiceOption(
        '--format <format>',
        'a rule file (rules) or a prometheus-operator PrometheusRule',
        ['rules', 'prometheus-rule'] as const,
        {
          default: 'rules',
        },
      ),
    )
    .addOption(
      choiceOption('-o, --output <format>', 'yaml or json', ['yaml', 'json'] as const, { default: 'yaml' }),
    )
    .option('--namespace <ns>', 'namespace of the PrometheusRule', 'monitoring')
    .option(
      '--control-plane-job <job>',
      'the Prometheus job scraping the control plane',
      DEFAULT_ALERT_OPTIONS.controlPlaneJob,
    )
    .addOption(new Option('--for <duration>', "replace every rule's `for:` (e.g. 0s, 1m)"))
    .option(
      '--error-rate <share>',
      '5xx share that fires HeddleHighErrorRate',
      String(DEFAULT_ALERT_OPTIONS.errorRateThreshold),
    )
    .option(
      '--latency-ms <ms>',
      'p95 latency that fires HeddleHighLatency',
      String(DEFAULT_ALERT_OPTIONS.latencyThresholdMs),
    )
    .addHelpText('after', ALERTS_DETAILS)
    .action((options: AlertsOptions) => {
      if (options.for !== undefined && options.for !== '0' && !DURATION.test(options.for))
        throw new UsageError(
          `--for: ${JSON.stringify(options.for)} is not a Prometheus duration (e.g. 30s, 5m)`,
        );
      const groups = meshAlertRules({
        ...DEFAULT_ALERT_OPTIONS,
        controlPlaneJob: options.controlPlaneJob,
        errorRateThreshold: positiveNumber('--error-rate', options.errorRate, 1),
        latencyThresholdMs: positiveNumber('--latency-ms', options.latencyMs),
        ...(options.for !== undefined ? { forOverride: options.for } : {}),
      });
      const document =
        options.format === 'rules' ? { groups } : prometheusRuleResource(groups, options.namespace);
      context.io.stdout.write(
        options.output === 'json'
          ? `${JSON.stringify(document, null, 2)}\n`
          : stringify(document, { lineWidth: 0 }),
      );
      context.setExitCode(EXIT_CODES.OK);
    });
}

function buildGrafanaCommand(context: CommandContext): Command {
  return new Command('grafana')
    .summary('print Grafana dashboards for the mesh')
    .description('Prints importable Grafana dashboard JSON built on Istio metric names.')
    .addOption(
      choiceOption('--dashboard <name>', 'which dashboard', [...DASHBOARDS, 'all'] as const, {
        default: 'mesh',
      }),
    )
    .addHelpText('after', GRAFANA_DETAILS)
    .action((options: GrafanaOptions) => {
      const json =
        options.dashboard === 'all'
          ? DASHBOARDS.map((name) => grafanaDashboard(name))
          : grafanaDashboard(options.dashboard);
      context.io.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
      context.setExitCode(EXIT_CODES.OK);
    });
}

/** `heddle x monitoring`: holds `alerts` and `grafana`. */
export function buildXMonitoringCommand(context: CommandContext): Command {
  return new Command('monitoring')
    .summary('alert rules and dashboards for Prometheus and Grafana')
    .description('Prometheus alert rules and Grafana dashboards for a Heddle mesh.')
    .addCommand(buildAlertsCommand(context))
    .addCommand(buildGrafanaCommand(context));
}
