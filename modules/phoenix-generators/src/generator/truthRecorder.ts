import type { GeneratorsHostTruth, GeneratorsTruth } from '@phoenix/contracts';
import { buildHostTruth, processList, snapshotProcesses, type ProcessSnapshot } from '../truth/buildHostTruth';
import type { HostModel } from '../workload/hostModel';

/** The ground truth of each host at its last successful export (GET /api/v1/truth). */
export class TruthRecorder {
  private readonly hosts = new Map<string, { truth: GeneratorsHostTruth; snapshot: ProcessSnapshot }>();

  constructor(
    /** the seed of the recorded exports */
    public seed: number,
    /** their export interval */
    public intervalSeconds: number,
  ) {}

  /** Records `model` as it was exported by the successful export `exportSeq`. */
  record(model: HostModel, exportSeq: number, exportedAt: string, serviceName: string): void {
    this.hosts.set(model.hostName, { truth: buildHostTruth(model, { exportSeq, exportedAt, serviceName }), snapshot: snapshotProcesses(model) });
  }

  forget(hostName: string): void {
    this.hosts.delete(hostName);
  }

  clear(): void {
    this.hosts.clear();
  }

  /** The truth by host name; `processes` adds every process. */
  truth(opts: { processes?: boolean }, generatedAt: string, running: boolean): GeneratorsTruth {
    const hosts = [...this.hosts.values()]
      .map(({ truth, snapshot }) => (opts.processes ? { ...truth, process_list: processList(snapshot) } : truth))
      .sort((a, b) => (a.host_name < b.host_name ? -1 : a.host_name > b.host_name ? 1 : 0));
    return {
      generated_at: generatedAt,
      running,
      seed: this.seed,
      export_interval_seconds: this.intervalSeconds,
      series: hosts.reduce((n, h) => n + h.series, 0),
      hosts,
    };
  }
}
