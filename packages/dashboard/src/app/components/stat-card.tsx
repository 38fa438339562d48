// One number with its name, the building block of the Overview.
import type { ComponentChildren } from 'preact';

export interface StatProps {
  readonly label: string;
  readonly value: string | number;
  /** `good`, `warn` or `bad` colours the value. */
  readonly tone?: 'good' | 'warn' | 'bad' | undefined;
  readonly testId?: string;
}

export function Stat({ label, value, tone, testId }: StatProps) {
  return (
    <div class={`stat${tone ? ` ${tone}` : ''}`} data-testid={testId}>
      <div class="stat-value">{value}</div>
      <div class="stat-label">{label}</div>
    </div>
  );
}

export function Card({ title, children }: { title: string; children: ComponentChildren }) {
  return (
    <section class="card" aria-label={title}>
      <h2>{title}</h2>
      {children}
    </section>
  );
}
