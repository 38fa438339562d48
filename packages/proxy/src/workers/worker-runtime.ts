// Inside a worker process: the proxy's own parts (the ones a single process builds), fed by the main
// process over IPC instead of an ADS stream. Every forwarded update goes through the same prepare, acquire
// and commit as in a single process, one at a time and in the order the main process sent them.
import { create, type Message } from '@bufbuild/protobuf';
import { AnySchema } from '@bufbuild/protobuf/wkt';
import { LogRegistry } from '../admin/logger.ts';
import { ConfigState } from '../config/config-state.ts';
import type { Proxy, ProxyRuntime } from '../config/proxy-runtime.ts';
import { isPrepareError, type PreparedUpdate, type ResourceHandler } from '../config/resource-handler.ts';
import { StatsStore } from '../stats/stats-store.ts';
import { decodeResources } from '../xds/decode-resources.ts';
import { MirroredSecrets } from './mirrored-secrets.ts';
import { statsToWire } from './stats-wire.ts';
import type { MainToWorker, WireResource, WorkerRequest } from './worker-protocol.ts';

export interface WorkerChannel {
  /** Delivers every message from the main process after init, in order (held ones first). */
  listen(receive: (message: MainToWorker) => void): void;
  reply(id: number, result: { readonly value?: unknown; readonly error?: string }): Promise<void>;
}

interface Staged {
  readonly typeUrl: string;
  readonly prepared: PreparedUpdate;
}

/** `type.googleapis.com/envoy.config.route.v3.RouteConfiguration` → `RouteConfiguration`. */
const shortType = (typeUrl: string): string => typeUrl.slice(typeUrl.lastIndexOf('.') + 1);

export function workerRuntime(channel: WorkerChannel): ProxyRuntime {
  return (bootstrap, buildParts, options) => {
    const logs = options.logs ?? new LogRegistry();
    const logger = logs.logger('main');
    const stats = options.stats ?? new StatsStore();
    const secrets = new MirroredSecrets();
    const drainTimeoutMs = options.drainTimeoutMs ?? bootstrap.drainTimeoutMs;
    const parts = buildParts({ stats, secrets, logs, drainTimeoutMs });
    const handlers = new Map<string, ResourceHandler>(parts.handlers.map((h) => [h.typeUrl, h]));
    const staged = new Map<number, Staged>();
    let draining = false;
    let closing: Promise<void> | undefined;
    let resolveClosed!: () => void;
    const closed = new Promise<void>((resolve) => (resolveClosed = resolve));
    const drain = async (): Promise<void> => {
      draining = true;
      await parts.drain();
    };
    const close = (): Promise<void> => {
      closing ??= parts
        .close()
        .catch((error: unknown) => logger.error(`closing failed: ${String(error)}`))
        .then(resolveClosed);
      return closing;
    };

    /** Prepare and acquire, as the xDS client does before it ACKs; throws the NACK's error. */
    const prepare = async (typeUrl: string, resources: readonly WireResource[]): Promise<PreparedUpdate> => {
      const handler = handlers.get(typeUrl);
      if (!handler) throw new Error(`no handler for ${typeUrl}`);
      const anys = resources.map((r) => create(AnySchema, { typeUrl: r.typeUrl, value: r.value }));
      const decoded = decodeResources(typeUrl, anys);
      if (decoded.error !== undefined) throw new Error(decoded.error);
      const messages = new Map<string, Message>();
      for (const [name, resource] of decoded.resources) messages.set(name, resource.message);
      const prepared = handler.prepare(messages);
      if (isPrepareError(prepared)) throw new Error(prepared.error);
      const refused = await prepared.acquire?.();
      if (refused !== undefined) throw new Error(refused);
      return prepared;
    };

    const answer = async (request: WorkerRequest): Promise<unknown> => {
      switch (request.kind) {
        case 'apply':
          (await prepare(request.typeUrl, request.resources)).commit();
          await parts.whenBound?.();
          logger.debug(`applied ${request.resources.length} ${shortType(request.typeUrl)} resources`);
          return undefined;
        case 'stage': {
          const prepared = await prepare(request.typeUrl, request.resources);
          // A newer update of the same type supersedes one that never got its commit.
          for (const [id, entry] of staged) if (entry.typeUrl === request.typeUrl) staged.delete(id);
          staged.set(request.stageId, { typeUrl: request.typeUrl, prepared });
          return undefined;
        }
        case 'commit': {
          const entry = staged.get(request.stageId);
          staged.delete(request.stageId);
          // Started after the stage went out: this worker prepares the update now.
          (entry?.prepared ?? (await prepare(request.typeUrl, request.resources))).commit();
          await parts.whenBound?.();
          logger.debug(`applied ${request.resources.length} ${shortType(request.typeUrl)} resources`);
          return undefined;
        }
        case 'ping':
          await parts.whenBound?.();
          return undefined;
        case 'stats':
          return statsToWire(stats.snapshot());
        case 'describe':
          return { clusters: parts.describeClusters(), listeners: parts.describeListeners() };
        case 'drain':
          await drain();
          return undefined;
        case 'close':
          await close();
          return undefined;
      }
    };

    // Config changes run one after another; reads and the lifecycle do not wait behind them.
    let serial: Promise<unknown> = Promise.resolve();
    const ordered = new Set<WorkerRequest['kind']>(['apply', 'stage', 'commit', 'ping']);
    channel.listen((message) => {
      if (message.kind === 'secrets') return secrets.replace(message.secrets);
      if (message.kind === 'log-levels') return logs.adopt(message.levels);
      if (message.kind !== 'request') return;
      const { id, request } = message;
      const run = ordered.has(request.kind)
        ? (serial = serial.then(
            () => answer(request),
            () => answer(request),
          ))
        : answer(request);
      void run.then(
        (value) => channel.reply(id, { value }),
        (error: unknown) =>
          channel.reply(id, { error: error instanceof Error ? error.message : String(error) }),
      );
    });

    const proxy: Proxy = {
      ready: Promise.resolve(),
      adminPort: 0,
      healthPort: 0,
      stats,
      config: new ConfigState(),
      logs,
      state: () => (draining ? 'DRAINING' : 'LIVE'),
      drain,
      close,
      shutdown: async () => {
        await drain();
        await close();
      },
      closed,
    };
    return Promise.resolve(proxy);
  };
}
