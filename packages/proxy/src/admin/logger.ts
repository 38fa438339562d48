// Named loggers with Envoy's levels, whose levels the admin `/logging` endpoint reads and changes at runtime.

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warning', 'error', 'critical', 'off'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface Logger {
  readonly name: string;
  enabled(level: LogLevel): boolean;
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface LogRegistryOptions {
  readonly level?: LogLevel;
  /** Where lines go; stderr by default. */
  readonly write?: (line: string) => void;
  readonly now?: () => Date;
}

export function isLogLevel(value: string): value is LogLevel {
  return (LOG_LEVELS as readonly string[]).includes(value);
}

/** The loggers that exist from the start, so that `/logging` lists them before they first log. */
export const DEFAULT_LOGGERS = [
  'admin',
  'config',
  'connection',
  'http',
  'main',
  'upstream',
  'router',
  'filter',
];

class NamedLogger implements Logger {
  readonly name: string;
  threshold: number;
  readonly #registry: LogRegistry;

  constructor(name: string, threshold: number, registry: LogRegistry) {
    this.name = name;
    this.threshold = threshold;
    this.#registry = registry;
  }

  enabled(level: LogLevel): boolean {
    return LOG_LEVELS.indexOf(level) >= this.threshold && level !== 'off';
  }

  debug(message: string): void {
    if (this.threshold <= 1) this.#registry.emit(this.name, 'debug', message);
  }

  info(message: string): void {
    if (this.threshold <= 2) this.#registry.emit(this.name, 'info', message);
  }

  warn(message: string): void {
    if (this.threshold <= 3) this.#registry.emit(this.name, 'warning', message);
  }

  error(message: string): void {
    if (this.threshold <= 4) this.#registry.emit(this.name, 'error', message);
  }
}

export class LogRegistry {
  readonly #loggers = new Map<string, NamedLogger>();
  readonly #write: (line: string) => void;
  readonly #now: () => Date;
  readonly #listeners = new Set<(levels: Record<string, LogLevel>) => void>();
  #defaultThreshold: number;

  constructor(options: LogRegistryOptions = {}) {
    this.#defaultThreshold = LOG_LEVELS.indexOf(options.level ?? 'info');
    this.#write = options.write ?? ((line) => process.stderr.write(`${line}\n`));
    this.#now = options.now ?? (() => new Date());
    for (const name of DEFAULT_LOGGERS) this.logger(name);
  }

  logger(name: string): Logger {
    let logger = this.#loggers.get(name);
    if (!logger) this.#loggers.set(name, (logger = new NamedLogger(name, this.#defaultThreshold, this)));
    return logger;
  }

  levels(): Record<string, LogLevel> {
    const out: Record<string, LogLevel> = {};
    for (const name of [...this.#loggers.keys()].sort())
      out[name] = LOG_LEVELS[this.#loggers.get(name)?.threshold ?? 2] ?? 'info';
    return out;
  }

  /** Sets one logger's level, or every logger's when `name` is absent; false for an unknown logger. */
  setLevel(level: LogLevel, name?: string): boolean {
    const threshold = LOG_LEVELS.indexOf(level);
    if (name === undefined) {
      this.#defaultThreshold = threshold;
      for (const logger of this.#loggers.values()) logger.threshold = threshold;
    } else {
      const logger = this.#loggers.get(name);
      if (!logger) return false;
      logger.threshold = threshold;
    }
    if (this.#listeners.size > 0) {
      const levels = this.levels();
      for (const listener of this.#listeners) listener(levels);
    }
    return true;
  }

  /** Calls `listener` with every logger's level after each change; returns the unsubscribe. */
  onChange(listener: (levels: Record<string, LogLevel>) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Takes every level of `levels` (another process's registry), creating loggers this one lacks. */
  adopt(levels: Readonly<Record<string, LogLevel>>): void {
    for (const [name, level] of Object.entries(levels)) {
      this.logger(name);
      const logger = this.#loggers.get(name);
      if (logger) logger.threshold = LOG_LEVELS.indexOf(level);
    }
  }

  emit(name: string, level: LogLevel, message: string): void {
    this.#write(`[${this.#now().toISOString()}][${level}][${name}] ${message}`);
  }
}

/** A logger that drops everything, for components built without a registry. */
export const SILENT_LOGGER: Logger = {
  name: 'silent',
  enabled: () => false,
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
};
