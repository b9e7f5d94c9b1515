/**
 * Prometheus' text exposition format 0.0.4 (prometheus.io/docs/instrumenting/exposition_formats):
 * `# HELP`, `# TYPE`, then `name{label="value",…} number` lines. Written here rather than with
 * prom-client: loading prom-client alone costs 12 MB of resident memory, and the exporter's
 * budget is 80 MB (BENCHMARKS.md); what sipwall exposes is a few gauges and counters.
 */

export type Labels = Readonly<Record<string, string>>;

/** A label value with backslash, double quote and line feed escaped. */
export function labelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

/** One sample line. */
export function sample(name: string, labels: Labels, value: number): string {
  const pairs = Object.entries(labels);
  return `${name}${pairs.length === 0 ? '' : `{${pairs.map(([k, v]) => `${k}="${labelValue(v)}"`).join(',')}}`} ${formatValue(value)}`;
}

/** A metric family: its samples by label set. */
export class Family {
  private readonly samples = new Map<string, { labels: Labels; value: number }>();

  constructor(
    readonly name: string,
    readonly help: string,
    readonly type: 'gauge' | 'counter',
  ) {}

  set(labels: Labels, value: number): void {
    this.samples.set(JSON.stringify(Object.entries(labels)), { labels, value });
  }

  inc(labels: Labels, by = 1): void {
    const key = JSON.stringify(Object.entries(labels));
    this.samples.set(key, { labels, value: (this.samples.get(key)?.value ?? 0) + by });
  }

  remove(labels: Labels): void {
    this.samples.delete(JSON.stringify(Object.entries(labels)));
  }

  /** Removes every sample with this label value. */
  removeWhere(label: string, value: string): void {
    for (const [key, s] of this.samples) if (s.labels[label] === value) this.samples.delete(key);
  }

  render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} ${this.type}`];
    for (const s of this.samples.values()) lines.push(sample(this.name, s.labels, s.value));
    return `${lines.join('\n')}\n`;
  }
}

/** The process's own figures, as prom-client's default metrics name them, under `prefix`. */
export function processMetrics(prefix: string): string {
  const memory = process.memoryUsage();
  const cpu = process.cpuUsage();
  const families: Array<[string, string, 'gauge' | 'counter', number]> = [
    ['process_cpu_seconds_total', 'User and system CPU time spent in seconds', 'counter', (cpu.user + cpu.system) / 1e6],
    ['process_resident_memory_bytes', 'Resident memory size in bytes', 'gauge', memory.rss],
    ['process_start_time_seconds', 'Start time of the process since the Unix epoch in seconds', 'gauge', Math.round(Date.now() / 1000 - process.uptime())],
    ['nodejs_heap_size_used_bytes', 'Process heap size used from Node.js in bytes', 'gauge', memory.heapUsed],
    ['nodejs_heap_size_total_bytes', 'Process heap size from Node.js in bytes', 'gauge', memory.heapTotal],
  ];
  return families.map(([name, help, type, value]) => `# HELP ${prefix}${name} ${help}\n# TYPE ${prefix}${name} ${type}\n${sample(prefix + name, {}, value)}\n`).join('');
}
