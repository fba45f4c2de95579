import type { StepChurn } from '../workload/hostModel';

/** What one export interval did. */
export interface TickReport {
  seq: number;
  at: string;
  hosts: number;
  processes: number;
  /** Data points sent (all hosts). */
  series: number;
  ok: number;
  failed: number;
  durationMs: number;
  /** Distinct export errors of this interval. */
  errors: string[];
  churn: StepChurn;
  scenario?: { name: string; phase: string; elapsedSeconds: number; completed: boolean };
}
