import { ConfigErrors } from '@phoenix/runtime';

/** The task queue's timing. */
export interface QueueConfig {
  /** a claim (and each running report) leases the task for this long */
  leaseSeconds: number;
  /** max_attempts of a task that does not say */
  defaultMaxAttempts: number;
  /** deadline of a task that does not say */
  defaultDeadlineSeconds: number;
  /** the first retry waits about this long (exponential, jittered) */
  retryBaseSeconds: number;
  /** no retry waits longer */
  retryMaxSeconds: number;
  /** how often the leader looks for expired leases, passed deadlines and lost hosts */
  sweepIntervalSeconds: number;
  /** a long poll without `wait` waits this long */
  defaultWaitSeconds: number;
  /** the longest `wait` accepted (the OpenAPI's maximum) */
  maxWaitSeconds: number;
}

export const defaultQueueConfig: QueueConfig = {
  leaseSeconds: 60,
  defaultMaxAttempts: 3,
  defaultDeadlineSeconds: 3600,
  retryBaseSeconds: 2,
  retryMaxSeconds: 300,
  sweepIntervalSeconds: 2,
  defaultWaitSeconds: 30,
  maxWaitSeconds: 60,
};

export function validateQueueConfig(c: QueueConfig, prefix = 'queue'): string[] {
  const e = new ConfigErrors();
  e.number(`${prefix}.leaseSeconds`, c.leaseSeconds, { min: 1, max: 86400 });
  e.number(`${prefix}.defaultMaxAttempts`, c.defaultMaxAttempts, { integer: true, min: 1, max: 100 });
  e.number(`${prefix}.defaultDeadlineSeconds`, c.defaultDeadlineSeconds, { integer: true, min: 1, max: 604800 });
  e.number(`${prefix}.retryBaseSeconds`, c.retryBaseSeconds, { min: 0.01, max: 3600 });
  e.number(`${prefix}.retryMaxSeconds`, c.retryMaxSeconds, { min: c.retryBaseSeconds, max: 86400 });
  e.number(`${prefix}.sweepIntervalSeconds`, c.sweepIntervalSeconds, { min: 0.05, max: 3600 });
  e.number(`${prefix}.maxWaitSeconds`, c.maxWaitSeconds, { min: 0, max: 60 });
  e.number(`${prefix}.defaultWaitSeconds`, c.defaultWaitSeconds, { min: 0, max: c.maxWaitSeconds });
  return e.messages;
}

/**
 * Delay before retry number `attempt` (1 = after the first failed attempt): base · 2^(attempt-1), capped,
 * with "equal jitter" (half fixed, half random) so that hosts failing together do not retry together.
 */
export function retryDelayMs(attempt: number, baseSeconds: number, maxSeconds: number, random: () => number): number {
  const full = Math.min(maxSeconds, baseSeconds * 2 ** Math.max(0, attempt - 1)) * 1000;
  return Math.round(full / 2 + (full / 2) * random());
}
