import type { PriorityClass } from '@phoenix/contracts';

/**
 * One executable the simulated hosts run. The catalog covers the four priority classes; `priorityClass`
 * is what the default priority rules (modules/phoenix-core/config/priority_rules.yaml) are meant to say
 * for this executable, so validation can check the classification against the intent.
 */
export interface CatalogEntry {
  readonly executable: string;
  readonly priorityClass: PriorityClass;
  /** Command-line templates; `{n}` becomes a number in 1..99 drawn per process. */
  readonly commandLines: readonly string[];
  readonly owner: string;
  /** Relative chance that a new process runs this executable. */
  readonly frequency: number;
  /** Multiplies the heavy-tailed CPU draw. */
  readonly cpuScale: number;
  /** Share of CPU time spent in user mode. */
  readonly userFraction: number;
  readonly memoryMedianBytes: number;
  readonly threadsMedian: number;
  readonly fdsMedian: number;
  /** Median disk I/O (read + write) in bytes per second. */
  readonly ioBytesPerSecond: number;
  readonly readFraction: number;
  /** Probability that a process of this executable runs in a container (then it has container.id). */
  readonly containerized: number;
  /** Probability that a process of this executable leaks memory (and file descriptors) slowly. */
  readonly leakProbability: number;
  /** Relative chance of being picked by a churn event (short-lived tools churn most). */
  readonly churnWeight: number;
}

const MiB = 1024 * 1024;

/**
 * The executable catalog of the workload model (executable names are unique). The intended classes
 * agree with modules/phoenix-core/config/priority_rules.yaml (processCatalog.test.ts checks it).
 */
export const PROCESS_CATALOG: readonly CatalogEntry[] = [
  {
    executable: 'postgres', priorityClass: 'critical', owner: 'postgres', frequency: 2, cpuScale: 4, userFraction: 0.75,
    commandLines: [
      'postgres -D /var/lib/postgresql/16/main -c config_file=/etc/postgresql/16/main/postgresql.conf',
      'postgres: checkpointer', 'postgres: background writer', 'postgres: walwriter', 'postgres: autovacuum launcher',
      'postgres: app orders 10.0.{n}.12(5{n}) idle',
    ],
    memoryMedianBytes: 512 * MiB, threadsMedian: 1, fdsMedian: 60, ioBytesPerSecond: 2 * MiB, readFraction: 0.6,
    containerized: 0.2, leakProbability: 0.02, churnWeight: 0.3,
  },
  {
    executable: 'mysqld', priorityClass: 'critical', owner: 'mysql', frequency: 0.4, cpuScale: 4, userFraction: 0.7,
    commandLines: ['/usr/sbin/mysqld --basedir=/usr --datadir=/var/lib/mysql --plugin-dir=/usr/lib/mysql/plugin'],
    memoryMedianBytes: 1536 * MiB, threadsMedian: 40, fdsMedian: 300, ioBytesPerSecond: 3 * MiB, readFraction: 0.55,
    containerized: 0.3, leakProbability: 0.02, churnWeight: 0.2,
  },
  {
    executable: 'etcd', priorityClass: 'critical', owner: 'etcd', frequency: 0.4, cpuScale: 2, userFraction: 0.8,
    commandLines: ['/usr/local/bin/etcd --name node-{n} --data-dir /var/lib/etcd --listen-client-urls https://0.0.0.0:2379'],
    memoryMedianBytes: 300 * MiB, threadsMedian: 20, fdsMedian: 120, ioBytesPerSecond: 1 * MiB, readFraction: 0.2,
    containerized: 0.5, leakProbability: 0.02, churnWeight: 0.2,
  },
  {
    executable: 'kube-apiserver', priorityClass: 'critical', owner: 'root', frequency: 0.3, cpuScale: 3, userFraction: 0.8,
    commandLines: ['kube-apiserver --advertise-address=10.0.0.{n} --etcd-servers=https://127.0.0.1:2379 --secure-port=6443'],
    memoryMedianBytes: 900 * MiB, threadsMedian: 30, fdsMedian: 200, ioBytesPerSecond: 64 * 1024, readFraction: 0.5,
    containerized: 0.9, leakProbability: 0.03, churnWeight: 0.2,
  },
  {
    executable: 'kubelet', priorityClass: 'critical', owner: 'root', frequency: 0.6, cpuScale: 1.5, userFraction: 0.6,
    commandLines: ['/usr/bin/kubelet --config=/var/lib/kubelet/config.yaml --kubeconfig=/etc/kubernetes/kubelet.conf'],
    memoryMedianBytes: 150 * MiB, threadsMedian: 25, fdsMedian: 90, ioBytesPerSecond: 128 * 1024, readFraction: 0.7,
    containerized: 0, leakProbability: 0.02, churnWeight: 0.2,
  },
  {
    executable: 'containerd', priorityClass: 'critical', owner: 'root', frequency: 0.6, cpuScale: 0.8, userFraction: 0.5,
    commandLines: ['/usr/bin/containerd'],
    memoryMedianBytes: 80 * MiB, threadsMedian: 20, fdsMedian: 150, ioBytesPerSecond: 256 * 1024, readFraction: 0.5,
    containerized: 0, leakProbability: 0.01, churnWeight: 0.2,
  },
  {
    executable: 'nginx', priorityClass: 'high', owner: 'www-data', frequency: 3, cpuScale: 2, userFraction: 0.6,
    commandLines: ['nginx: master process /usr/sbin/nginx -g daemon off;', 'nginx: worker process'],
    memoryMedianBytes: 30 * MiB, threadsMedian: 1, fdsMedian: 400, ioBytesPerSecond: 200 * 1024, readFraction: 0.8,
    containerized: 0.5, leakProbability: 0.01, churnWeight: 0.6,
  },
  {
    executable: 'envoy', priorityClass: 'high', owner: 'envoy', frequency: 1.5, cpuScale: 1.5, userFraction: 0.7,
    commandLines: ['/usr/local/bin/envoy -c /etc/envoy/envoy.yaml --service-cluster mesh --service-node sidecar-{n}'],
    memoryMedianBytes: 120 * MiB, threadsMedian: 16, fdsMedian: 180, ioBytesPerSecond: 16 * 1024, readFraction: 0.5,
    containerized: 0.9, leakProbability: 0.03, churnWeight: 0.8,
  },
  {
    executable: 'haproxy', priorityClass: 'high', owner: 'haproxy', frequency: 0.5, cpuScale: 1.5, userFraction: 0.55,
    commandLines: ['/usr/sbin/haproxy -Ws -f /etc/haproxy/haproxy.cfg -p /run/haproxy.pid'],
    memoryMedianBytes: 60 * MiB, threadsMedian: 4, fdsMedian: 500, ioBytesPerSecond: 8 * 1024, readFraction: 0.5,
    containerized: 0.3, leakProbability: 0.01, churnWeight: 0.4,
  },
  {
    executable: 'redis-server', priorityClass: 'critical', owner: 'redis', frequency: 0.8, cpuScale: 2, userFraction: 0.65,
    commandLines: ['redis-server *:6379', 'redis-server 127.0.0.1:63{n}'],
    memoryMedianBytes: 400 * MiB, threadsMedian: 5, fdsMedian: 120, ioBytesPerSecond: 512 * 1024, readFraction: 0.1,
    containerized: 0.5, leakProbability: 0.03, churnWeight: 0.4,
  },
  {
    executable: 'java', priorityClass: 'high', owner: 'app', frequency: 1.5, cpuScale: 3, userFraction: 0.85,
    commandLines: [
      'java -Xms2g -Xmx4g -XX:+UseG1GC -jar /opt/orders-service/orders-service.jar --server.port=80{n}',
      'java -Xmx1g -cp /opt/payments/lib/* com.example.payments.Main',
    ],
    memoryMedianBytes: 2048 * MiB, threadsMedian: 80, fdsMedian: 250, ioBytesPerSecond: 256 * 1024, readFraction: 0.6,
    containerized: 0.6, leakProbability: 0.15, churnWeight: 0.6,
  },
  {
    executable: 'node', priorityClass: 'high', owner: 'app', frequency: 1.5, cpuScale: 2, userFraction: 0.85,
    commandLines: ['node /srv/api-gateway/dist/server.js --port 30{n}', 'node /srv/checkout/index.js'],
    memoryMedianBytes: 250 * MiB, threadsMedian: 11, fdsMedian: 60, ioBytesPerSecond: 64 * 1024, readFraction: 0.6,
    containerized: 0.6, leakProbability: 0.1, churnWeight: 0.8,
  },
  {
    executable: 'python3', priorityClass: 'high', owner: 'app', frequency: 3, cpuScale: 1.2, userFraction: 0.9,
    commandLines: ['python3 /opt/etl/worker.py --queue=ingest-{n}', 'python3 -m celery -A tasks worker --concurrency=4 -n worker{n}'],
    memoryMedianBytes: 180 * MiB, threadsMedian: 4, fdsMedian: 30, ioBytesPerSecond: 512 * 1024, readFraction: 0.7,
    containerized: 0.5, leakProbability: 0.1, churnWeight: 1.5,
  },
  {
    executable: 'otelcol', priorityClass: 'medium', owner: 'otel', frequency: 1.2, cpuScale: 1, userFraction: 0.8,
    commandLines: ['/usr/bin/otelcol --config=/etc/otelcol/config.yaml'],
    memoryMedianBytes: 200 * MiB, threadsMedian: 14, fdsMedian: 40, ioBytesPerSecond: 32 * 1024, readFraction: 0.5,
    containerized: 0.4, leakProbability: 0.03, churnWeight: 0.5,
  },
  {
    executable: 'fluent-bit', priorityClass: 'medium', owner: 'root', frequency: 1.2, cpuScale: 0.8, userFraction: 0.7,
    commandLines: ['/opt/fluent-bit/bin/fluent-bit -c /etc/fluent-bit/fluent-bit.conf'],
    memoryMedianBytes: 40 * MiB, threadsMedian: 6, fdsMedian: 80, ioBytesPerSecond: 768 * 1024, readFraction: 0.9,
    containerized: 0.4, leakProbability: 0.03, churnWeight: 0.5,
  },
  {
    executable: 'prometheus', priorityClass: 'medium', owner: 'nobody', frequency: 0.5, cpuScale: 2, userFraction: 0.85,
    commandLines: ['/bin/prometheus --config.file=/etc/prometheus/prometheus.yml --storage.tsdb.path=/prometheus'],
    memoryMedianBytes: 1024 * MiB, threadsMedian: 18, fdsMedian: 200, ioBytesPerSecond: 1 * MiB, readFraction: 0.3,
    containerized: 0.7, leakProbability: 0.05, churnWeight: 0.3,
  },
  {
    executable: 'node_exporter', priorityClass: 'medium', owner: 'nobody', frequency: 1.2, cpuScale: 0.5, userFraction: 0.6,
    commandLines: ['/usr/bin/node_exporter --collector.systemd --web.listen-address=:9100'],
    memoryMedianBytes: 25 * MiB, threadsMedian: 8, fdsMedian: 15, ioBytesPerSecond: 4 * 1024, readFraction: 0.95,
    containerized: 0.3, leakProbability: 0.01, churnWeight: 0.3,
  },
  {
    executable: 'telegraf', priorityClass: 'medium', owner: 'telegraf', frequency: 0.8, cpuScale: 0.8, userFraction: 0.7,
    commandLines: ['/usr/bin/telegraf -config /etc/telegraf/telegraf.conf -config-directory /etc/telegraf/telegraf.d'],
    memoryMedianBytes: 90 * MiB, threadsMedian: 12, fdsMedian: 40, ioBytesPerSecond: 8 * 1024, readFraction: 0.6,
    containerized: 0.3, leakProbability: 0.02, churnWeight: 0.3,
  },
  {
    executable: 'sshd', priorityClass: 'critical', owner: 'root', frequency: 1.2, cpuScale: 0.1, userFraction: 0.4,
    commandLines: ['sshd: /usr/sbin/sshd -D [listener] 0 of 10-100 startups', 'sshd: ops [priv]', 'sshd: ops@pts/{n}'],
    memoryMedianBytes: 8 * MiB, threadsMedian: 1, fdsMedian: 12, ioBytesPerSecond: 512, readFraction: 0.5,
    containerized: 0, leakProbability: 0, churnWeight: 3,
  },
  {
    executable: 'cron', priorityClass: 'medium', owner: 'root', frequency: 1.5, cpuScale: 0.05, userFraction: 0.5,
    commandLines: ['/usr/sbin/cron -f'],
    memoryMedianBytes: 3 * MiB, threadsMedian: 1, fdsMedian: 8, ioBytesPerSecond: 128, readFraction: 0.5,
    containerized: 0, leakProbability: 0, churnWeight: 0.5,
  },
  {
    executable: 'bash', priorityClass: 'low', owner: 'ops', frequency: 8, cpuScale: 0.2, userFraction: 0.6,
    commandLines: ['-bash', '/bin/bash /usr/local/bin/backup.sh', 'bash -c /opt/scripts/rotate-{n}.sh'],
    memoryMedianBytes: 5 * MiB, threadsMedian: 1, fdsMedian: 5, ioBytesPerSecond: 4 * 1024, readFraction: 0.6,
    containerized: 0.2, leakProbability: 0, churnWeight: 4,
  },
  {
    executable: 'systemd-journald', priorityClass: 'low', owner: 'root', frequency: 1, cpuScale: 0.3, userFraction: 0.4,
    commandLines: ['/lib/systemd/systemd-journald'],
    memoryMedianBytes: 60 * MiB, threadsMedian: 1, fdsMedian: 40, ioBytesPerSecond: 64 * 1024, readFraction: 0.1,
    containerized: 0, leakProbability: 0.02, churnWeight: 0.3,
  },
  {
    executable: 'rsyslogd', priorityClass: 'low', owner: 'syslog', frequency: 1, cpuScale: 0.2, userFraction: 0.5,
    commandLines: ['/usr/sbin/rsyslogd -n -iNONE'],
    memoryMedianBytes: 6 * MiB, threadsMedian: 4, fdsMedian: 12, ioBytesPerSecond: 16 * 1024, readFraction: 0.05,
    containerized: 0, leakProbability: 0.01, churnWeight: 0.3,
  },
  {
    executable: 'chronyd', priorityClass: 'low', owner: '_chrony', frequency: 1, cpuScale: 0.02, userFraction: 0.5,
    commandLines: ['/usr/sbin/chronyd -F 1'],
    memoryMedianBytes: 3 * MiB, threadsMedian: 1, fdsMedian: 6, ioBytesPerSecond: 16, readFraction: 0.5,
    containerized: 0, leakProbability: 0, churnWeight: 0.3,
  },
  {
    executable: 'dbus-daemon', priorityClass: 'low', owner: 'messagebus', frequency: 1.5, cpuScale: 0.05, userFraction: 0.5,
    commandLines: ['@dbus-daemon --system --address=systemd: --nofork --nopidfile --systemd-activation --syslog-only'],
    memoryMedianBytes: 4 * MiB, threadsMedian: 1, fdsMedian: 20, ioBytesPerSecond: 64, readFraction: 0.5,
    containerized: 0, leakProbability: 0, churnWeight: 0.3,
  },
  {
    executable: 'agetty', priorityClass: 'low', owner: 'root', frequency: 1.5, cpuScale: 0.01, userFraction: 0.5,
    commandLines: ['/sbin/agetty -o -p -- \\u --noclear tty{n} linux'],
    memoryMedianBytes: 2 * MiB, threadsMedian: 1, fdsMedian: 5, ioBytesPerSecond: 0, readFraction: 0.5,
    containerized: 0, leakProbability: 0, churnWeight: 0.3,
  },
  {
    executable: 'logrotate', priorityClass: 'medium', owner: 'root', frequency: 2, cpuScale: 0.3, userFraction: 0.3,
    commandLines: ['/usr/sbin/logrotate /etc/logrotate.conf'],
    memoryMedianBytes: 3 * MiB, threadsMedian: 1, fdsMedian: 6, ioBytesPerSecond: 256 * 1024, readFraction: 0.6,
    containerized: 0, leakProbability: 0, churnWeight: 5,
  },
  {
    executable: 'systemd-udevd', priorityClass: 'low', owner: 'root', frequency: 1, cpuScale: 0.05, userFraction: 0.3,
    commandLines: ['/lib/systemd/systemd-udevd'],
    memoryMedianBytes: 7 * MiB, threadsMedian: 1, fdsMedian: 15, ioBytesPerSecond: 256, readFraction: 0.8,
    containerized: 0, leakProbability: 0, churnWeight: 0.3,
  },
  {
    executable: 'sleep', priorityClass: 'low', owner: 'root', frequency: 6, cpuScale: 0.01, userFraction: 0.5,
    commandLines: ['sleep {n}0', 'sleep infinity'],
    memoryMedianBytes: 1 * MiB, threadsMedian: 1, fdsMedian: 3, ioBytesPerSecond: 0, readFraction: 0.5,
    containerized: 0.3, leakProbability: 0, churnWeight: 5,
  },
];

/** The catalog's executables grouped by their intended priority class. */
export function executablesByClass(catalog: readonly CatalogEntry[] = PROCESS_CATALOG): Record<PriorityClass, string[]> {
  const out: Record<PriorityClass, string[]> = { critical: [], high: [], medium: [], low: [] };
  for (const e of catalog) out[e.priorityClass].push(e.executable);
  return out;
}
