-- phoenix-api schema, version 1. Times are always given by the service (its clock), never now().

-- One row per agent (host), written by its heartbeats.
CREATE TABLE agent_status (
  host_id          text PRIMARY KEY,
  kind             text NOT NULL DEFAULT 'phoenix',
  hostname         text NOT NULL,
  agent_version    text NOT NULL,
  capabilities     jsonb NOT NULL DEFAULT '[]',
  active_tasks     jsonb NOT NULL DEFAULT '[]',
  resource_usage   jsonb,
  control          jsonb,
  agent_started_at timestamptz,
  registered_at    timestamptz NOT NULL,
  last_heartbeat   timestamptz NOT NULL,
  heartbeats       bigint NOT NULL DEFAULT 0,
  drained          boolean NOT NULL DEFAULT false,
  drained_reason   text,
  -- operator pin: {"target_series": n, "mode"?: m, "reason"?: r, "since": t}
  pinned           jsonb
);
CREATE INDEX agent_status_last_heartbeat ON agent_status (last_heartbeat);

-- Pipelines deployed on a host's core beside its three (from the heartbeats).
CREATE TABLE active_pipelines (
  host_id     text NOT NULL REFERENCES agent_status (host_id) ON DELETE CASCADE,
  pipeline_id text NOT NULL,
  version     integer,
  updated_at  timestamptz NOT NULL,
  PRIMARY KEY (host_id, pipeline_id)
);

-- The task queue.
CREATE TABLE agent_tasks (
  id              text PRIMARY KEY,
  host_id         text NOT NULL,
  type            text NOT NULL,
  action          text,
  config          jsonb NOT NULL,
  priority        integer NOT NULL DEFAULT 0,
  status          text NOT NULL CHECK (status IN ('pending', 'claimed', 'running', 'succeeded', 'failed', 'cancelled')),
  attempts        integer NOT NULL DEFAULT 0,
  max_attempts    integer NOT NULL CHECK (max_attempts >= 1),
  lease_until     timestamptz,
  not_before      timestamptz,
  deadline        timestamptz,
  -- when the task last became claimable (dispatch latency is measured from here)
  queued_at       timestamptz NOT NULL,
  created_at      timestamptz NOT NULL,
  updated_at      timestamptz NOT NULL,
  started_at      timestamptz,
  finished_at     timestamptz,
  result          jsonb,
  error           text,
  source          text,
  idempotency_key text,
  -- the last status report accepted (a repeat of it is answered the same)
  last_report     jsonb
);
CREATE INDEX agent_tasks_claim ON agent_tasks (host_id, priority DESC, created_at, id) WHERE status = 'pending';
CREATE INDEX agent_tasks_lease ON agent_tasks (lease_until) WHERE status IN ('claimed', 'running');
CREATE INDEX agent_tasks_deadline ON agent_tasks (deadline) WHERE status IN ('pending', 'claimed', 'running');
CREATE INDEX agent_tasks_open_by_host ON agent_tasks (host_id) WHERE status IN ('pending', 'claimed', 'running');
CREATE INDEX agent_tasks_created ON agent_tasks (created_at DESC, id DESC);
CREATE UNIQUE INDEX agent_tasks_idempotency ON agent_tasks (host_id, idempotency_key) WHERE idempotency_key IS NOT NULL;

-- Settings of the fleet (key 'budget': {"target_series": n, "reason"?: r}; key 'allocation': the last run).
CREATE TABLE fleet_settings (
  key        text PRIMARY KEY,
  value      jsonb NOT NULL,
  updated_at timestamptz NOT NULL,
  updated_by text
);

-- The fleet controller's plan per host, and what it last sent.
CREATE TABLE host_allocations (
  host_id        text PRIMARY KEY,
  target_series  bigint NOT NULL,
  planned_mode   text NOT NULL,
  max_mode       text NOT NULL,
  planned_series bigint NOT NULL,
  reason         text,
  updated_at     timestamptz NOT NULL,
  sent_target    bigint,
  sent_max_mode  text,
  sent_task_id   text,
  sent_at        timestamptz
);

-- KPI samples per host (bounded: the newest samples within the retention).
CREATE TABLE metrics_cache (
  host_id     text NOT NULL,
  seq         bigint NOT NULL,
  observed_at timestamptz NOT NULL,
  received_at timestamptz NOT NULL,
  sample      jsonb NOT NULL,
  PRIMARY KEY (host_id, seq)
);
CREATE INDEX metrics_cache_observed ON metrics_cache (host_id, observed_at);

-- Log lines of the agents and their cores (bounded per host).
CREATE TABLE agent_logs (
  host_id text NOT NULL,
  seq     bigint NOT NULL,
  ts      timestamptz NOT NULL,
  source  text NOT NULL,
  level   text NOT NULL,
  msg     text NOT NULL,
  fields  jsonb,
  PRIMARY KEY (host_id, seq)
);

-- Agent API keys: phx_<id>_<secret>, the secret stored as its sha256; host_id '*' = an enrollment key.
CREATE TABLE api_keys (
  id            text PRIMARY KEY,
  host_id       text NOT NULL,
  secret_sha256 text NOT NULL,
  description   text,
  created_at    timestamptz NOT NULL,
  revoked_at    timestamptz,
  last_used_at  timestamptz
);

-- Every mutating operator call.
CREATE TABLE audit_log (
  id          bigserial PRIMARY KEY,
  at          timestamptz NOT NULL,
  actor       text NOT NULL,
  method      text NOT NULL,
  route       text NOT NULL,
  path        text NOT NULL,
  body_sha256 text,
  status      integer NOT NULL,
  result      text
);
CREATE INDEX audit_log_at ON audit_log (at);
