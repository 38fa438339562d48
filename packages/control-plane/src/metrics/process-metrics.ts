// process_* and nodejs_* series as Prometheus client libraries name them, read at scrape time.
import type { MetricsRegistry } from './registry.ts';

export function registerProcessMetrics(registry: MetricsRegistry): void {
  const startTime = Math.round(Date.now() / 1000 - process.uptime());
  registry.collected(
    'process_cpu_seconds_total',
    'Total user and system CPU time spent in seconds.',
    'counter',
    () => {
      const usage = process.cpuUsage();
      return (usage.user + usage.system) / 1e6;
    },
  );
  registry.collected('process_resident_memory_bytes', 'Resident memory size in bytes.', 'gauge', () =>
    process.memoryUsage.rss(),
  );
  registry.collected(
    'process_start_time_seconds',
    'Start time of the process since unix epoch in seconds.',
    'gauge',
    () => startTime,
  );
  registry.collected(
    'nodejs_heap_size_used_bytes',
    'Process heap size used from Node.js in bytes.',
    'gauge',
    () => process.memoryUsage().heapUsed,
  );
  registry.collected(
    'nodejs_heap_size_total_bytes',
    'Process heap size from Node.js in bytes.',
    'gauge',
    () => process.memoryUsage().heapTotal,
  );
}
