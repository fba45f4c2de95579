import type { GeneratorsHostTruth, GeneratorsTopProcess } from '@phoenix/contracts';
import { cpuByProcess, identityMatches, scoreRecall, visibleProcesses } from './probes';

const top = (rank: number, pid: number, exe: string, extra: Partial<GeneratorsTopProcess> = {}): GeneratorsTopProcess => ({
  rank,
  pid,
  executable_name: exe,
  command_line: `${exe} --serve`,
  owner: 'app',
  priority_class: 'high',
  cpu_rate: 1 / rank,
  ...extra,
});

const host = (name: string, tops: GeneratorsTopProcess[]): GeneratorsHostTruth => ({
  host_name: name,
  service_name: 'gen',
  export_seq: 3,
  exported_at: '2026-01-01T00:00:00Z',
  processes: 100,
  series: 700,
  cpu_rate_total: 10,
  metrics: [],
  top_processes: tops as GeneratorsHostTruth['top_processes'],
  churn: { spawns: 0, exits: 0, restarts: 0, resets: 0 },
});

const OUTPUT = [
  'process_cpu_time_seconds_total{host_name="h1",process_pid="11",process_executable_name="java",state="user"} 5',
  'process_cpu_time_seconds_total{host_name="h1",process_pid="11",process_executable_name="java",state="system"} 1.5',
  'process_cpu_time_seconds_total{host_name="h1",process_executable_name="nginx",process_owner="app",state="user"} 7',
  'process_cpu_time_seconds_total{host_name="h1",phoenix_rollup="others",state="user"} 100',
  'process_cpu_time_seconds_total{host_name="h2",process_pid="21",state="user"} 2',
  'process_memory_usage_bytes{host_name="h1",process_pid="12"} 1000',
  '',
].join('\n');

describe('heavy-hitter probes', () => {
  it('what an output shows individually, per host: rollups (others) are not individual', () => {
    const v = visibleProcesses(OUTPUT);
    expect(v.get('h1')).toEqual([
      { process_pid: '11', process_executable_name: 'java' },
      { process_pid: '11', process_executable_name: 'java' },
      { process_executable_name: 'nginx', process_owner: 'app' },
    ]);
    expect(v.get('h2')).toEqual([{ process_pid: '21' }]);
  });

  it('a series shows a process when every identity label it carries matches (a group without the PID counts)', () => {
    const java = top(1, 11, 'java');
    expect(identityMatches({ process_pid: '11', process_executable_name: 'java' }, java)).toBe(true);
    expect(identityMatches({ process_pid: '12', process_executable_name: 'java' }, java)).toBe(false);
    expect(identityMatches({ process_executable_name: 'java', process_owner: 'app' }, java)).toBe(true);
    expect(identityMatches({ container_id: 'abc' }, java)).toBe(false); // java runs outside a container here
    expect(identityMatches({ container_id: 'abc' }, top(1, 11, 'java', { container_id: 'abc' }))).toBe(true);
  });

  it('scores recall of the eligible true heavy hitters (hand-computed)', () => {
    const truth = [host('h1', [top(1, 11, 'java'), top(2, 13, 'nginx'), top(3, 14, 'bash'), top(4, 15, 'postgres')]), host('h2', [top(1, 21, 'etcd'), top(2, 22, 'etcd')])];
    // pid 15 is too young to be scored; h1: 11 (pid series), 13 (nginx group) visible, 14 (bash, rolled up) missed; h2: 21 visible, 22 missed.
    const r = scoreRecall(truth, visibleProcesses(OUTPUT), (_h, pid) => pid !== 15, 30);
    expect(r.eligible).toBe(5);
    expect(r.hits).toBe(3);
    expect(r.missed.map((m) => [m.host_name, m.pid, m.rank, m.offset_seconds])).toEqual([
      ['h1', 14, 3, 30],
      ['h2', 22, 2, 30],
    ]);
    expect(scoreRecall(truth, visibleProcesses(OUTPUT), () => true, 0, 1).eligible).toBe(2); // top-1 per host
  });

  it('CPU seconds per host and PID, summed over states', () => {
    const c = cpuByProcess(OUTPUT);
    expect(c.get('h1')?.get(11)).toBe(6.5);
    expect(c.get('h1')?.size).toBe(1); // the group without a PID and the rollup are not processes
    expect(cpuByProcess(OUTPUT, undefined, 21).get('h2')?.get(21)).toBe(2);
    expect(cpuByProcess(OUTPUT, undefined, 21).get('h1')).toBeUndefined();
  });
});
