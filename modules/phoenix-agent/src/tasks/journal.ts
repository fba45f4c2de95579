import type { Clock, Logger } from '@phoenix/runtime';
import { iso } from '@phoenix/runtime';
import { JsonlLog } from '../state/jsonlLog';
import type { TaskOutcome } from './types';

/** A task this agent finished, with what it reported (or will report). */
export interface JournalEntry {
  task_id: string;
  type: string;
  /** the attempt that did it */
  attempt: number;
  finished_at: string;
  outcome: TaskOutcome;
}

/**
 * The journal of finished tasks (`<state dir>/journal.jsonl`), for exactly-once: a task is written here
 * (fsynced) when done and before its report is queued, so a task the API hands out again (the agent was
 * killed before reporting, or the report was lost and the lease ran out) is reported from here, not done
 * twice. Keeps the last `maxEntries` tasks.
 */
export class TaskJournal {
  private readonly byId = new Map<string, JournalEntry>();
  private readonly file: JsonlLog<JournalEntry>;

  constructor(
    file: string,
    private readonly maxEntries: number,
    private readonly clock: Pick<Clock, 'now'>,
    private readonly log: Logger,
  ) {
    this.file = new JsonlLog<JournalEntry>(file);
  }

  open(): void {
    const { records, torn } = this.file.load();
    for (const r of records) if (r && typeof r.task_id === 'string' && r.outcome) this.set(r);
    if (torn > 0) this.log.warn('journal: skipped torn lines (a crash mid-write)', { torn });
    this.file.rewrite([...this.byId.values()]);
  }

  get(taskId: string): JournalEntry | undefined {
    return this.byId.get(taskId);
  }

  get size(): number {
    return this.byId.size;
  }

  /** Records a finished task (durable when this returns). */
  record(taskId: string, type: string, attempt: number, outcome: TaskOutcome): JournalEntry {
    const entry: JournalEntry = { task_id: taskId, type, attempt, finished_at: iso(this.clock.now()), outcome };
    this.file.append([entry]);
    this.set(entry);
    if (this.file.lines > 2 * this.maxEntries) this.file.rewrite([...this.byId.values()]);
    return entry;
  }

  close(): void {
    this.file.close();
  }

  private set(e: JournalEntry): void {
    this.byId.delete(e.task_id);
    this.byId.set(e.task_id, e);
    while (this.byId.size > this.maxEntries) {
      const oldest = this.byId.keys().next().value;
      if (oldest === undefined) break;
      this.byId.delete(oldest);
    }
  }
}
