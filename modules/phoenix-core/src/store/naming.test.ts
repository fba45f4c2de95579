import { promLabelName, promMetricName } from './naming';

describe('OpenTelemetry → Prometheus names', () => {
  test.each([
    ['process.cpu.time', 's', 'counter', 'process_cpu_time_seconds_total'],
    ['process.memory.usage', 'By', 'gauge', 'process_memory_usage_bytes'],
    ['process.disk.io', 'By', 'counter', 'process_disk_io_bytes_total'],
    ['process.threads', '{thread}', 'gauge', 'process_threads'],
    ['process.open_file_descriptors', '{count}', 'gauge', 'process_open_file_descriptors'],
    ['http.server.duration', 'ms', 'histogram', 'http_server_duration_milliseconds'],
    ['system.cpu.utilization', '1', 'gauge', 'system_cpu_utilization_ratio'],
    ['requests', '1', 'counter', 'requests_total'],
    ['requests.total', '', 'counter', 'requests_total'],
    ['request_duration_seconds', 's', 'histogram', 'request_duration_seconds'],
    ['network.io', 'By/s', 'gauge', 'network_io_bytes_per_second'],
    ['weird..name--x', '', 'gauge', 'weird_name_x'],
    ['2xx.responses', '', 'counter', '_2xx_responses_total'],
    ['temp', 'Cel', 'gauge', 'temp_celsius'],
    ['custom', 'widgets', 'gauge', 'custom_widgets'],
    ['rpc.latency', 'ms', 'summary', 'rpc_latency_milliseconds'],
  ] as const)('%s [%s] as %s → %s', (name, unit, type, expected) => {
    expect(promMetricName(name, unit, type)).toBe(expected);
  });

  test.each([
    ['host.name', 'host_name'],
    ['process.pid', 'process_pid'],
    ['0day', 'key_0day'],
    ['k8s.pod.name', 'k8s_pod_name'],
    ['a-b c', 'a_b_c'],
    ['.hidden', '_hidden'],
    ['..x', 'key__x'],
  ])('label %s → %s', (key, expected) => {
    expect(promLabelName(key)).toBe(expected);
  });
});
