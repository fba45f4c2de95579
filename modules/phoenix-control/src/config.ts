import path from 'node:path';
import { defaultActuatorConfig, validateActuatorConfig, type ActuatorConfig } from './actuator/config';
import { defaultApiConfig, validateApiConfig, type ApiConfig } from './api/config';
import { validateControlFileWriterConfig, type ControlFileWriterConfig } from './controlFileWriter/config';
import { defaultControllerConfig, validateControllerConfig, type ControllerConfig } from './controller/config';
import { defaultHistoryConfig, validateHistoryConfig, type HistoryConfig } from './history/config';
import { EnvReader, LOG_LEVELS, readRestApiConfig, restApiEnv, withEnvNames, type Env, type LogLevel, type RestApiEnvNames } from '@phoenix/runtime';
import { defaultObserverConfig, validateObserverConfig, type ObserverConfig } from './observer/config';

/** Everything phoenix-control needs, one section per component. */
export interface ControlServiceConfig {
  dataDir: string;
  logLevel: LogLevel;
  observer: ObserverConfig;
  actuator: ActuatorConfig;
  controller: ControllerConfig;
  controlFile: ControlFileWriterConfig;
  history: HistoryConfig;
  api: ApiConfig;
}

/** The variables of the control API's own REST settings (the shared ones: PHOENIX_BIND_ADDRESS, PHOENIX_API_TOKEN, PHOENIX_ALLOW_INSECURE). */
export const API_ENV: RestApiEnvNames = {
  port: 'PHOENIX_CONTROL_API_PORT',
  bodyLimitBytes: 'PHOENIX_CONTROL_API_BODY_LIMIT_BYTES',
  rateLimitPerMinute: 'PHOENIX_CONTROL_API_RATE_LIMIT_PER_MINUTE',
};

/** Config key -> the environment variable that sets it (for error messages and the README). */
export const ENV: Record<string, string> = {
  dataDir: 'PHOENIX_DATA_DIR',
  logLevel: 'PHOENIX_LOG_LEVEL',
  'observer.coreUrl': 'PHOENIX_CORE_URL',
  'observer.prometheusUrl': 'PROMETHEUS_URL',
  'observer.prometheusSelector': 'PHOENIX_PROMETHEUS_SELECTOR',
  'observer.intervalSeconds': 'PHOENIX_OBSERVER_INTERVAL_SECONDS',
  'observer.timeoutSeconds': 'PHOENIX_OBSERVER_TIMEOUT_SECONDS',
  'observer.staleAfterSeconds': 'PHOENIX_OBSERVER_STALE_AFTER_SECONDS',
  'observer.port': 'PHOENIX_OBSERVER_PORT',
  'observer.bindAddress': 'PHOENIX_BIND_ADDRESS',
  'controller.intervalSeconds': 'PHOENIX_CONTROL_INTERVAL_SECONDS',
  'actuator.targetSeries': 'PHOENIX_TARGET_SERIES',
  'actuator.headroom': 'PHOENIX_CONTROL_HEADROOM',
  'actuator.hysteresis': 'PHOENIX_CONTROL_HYSTERESIS',
  'actuator.dwellSeconds': 'PHOENIX_CONTROL_DWELL_SECONDS',
  'actuator.intervalSeconds': 'PHOENIX_CONTROL_INTERVAL_SECONDS',
  'actuator.maxKpiAgeSeconds': 'PHOENIX_CONTROL_MAX_KPI_AGE_SECONDS',
  'actuator.stabilityWindowSeconds': 'PHOENIX_CONTROL_STABILITY_WINDOW_SECONDS',
  'actuator.pid.kp': 'PHOENIX_PID_KP',
  'actuator.pid.ki': 'PHOENIX_PID_KI',
  'actuator.pid.kd': 'PHOENIX_PID_KD',
  'actuator.pid.integralMin': 'PHOENIX_PID_INTEGRAL_MIN',
  'actuator.pid.integralMax': 'PHOENIX_PID_INTEGRAL_MAX',
  'actuator.pid.outputMin': 'PHOENIX_PID_OUTPUT_MIN',
  'actuator.pid.outputMax': 'PHOENIX_PID_OUTPUT_MAX',
  'actuator.topk.minK': 'PHOENIX_TOPK_MIN_K',
  'actuator.topk.maxK': 'PHOENIX_TOPK_MAX_K',
  'actuator.topk.initialK': 'PHOENIX_TOPK_INITIAL_K',
  'actuator.topk.deadband': 'PHOENIX_TOPK_K_DEADBAND',
  'controlFile.path': 'PHOENIX_CONTROL_FILE',
  'history.path': 'PHOENIX_CONTROL_HISTORY_DB',
  'history.maxRows': 'PHOENIX_CONTROL_HISTORY_MAX_ROWS',
  ...restApiEnv('api', API_ENV),
  'api.historyDefaultLimit': 'PHOENIX_CONTROL_HISTORY_DEFAULT_LIMIT',
  'api.historyMaxLimit': 'PHOENIX_CONTROL_HISTORY_MAX_LIMIT',
};

/**
 * Reads the environment (names in ENV and the README) with the runtime's one parser per kind (durations accept
 * `30`, `500ms`, `2m`; sizes `16384`, `16KiB`; booleans 1/0, true/false, yes/no, on/off); `errors` name the
 * variable (a value that does not parse) or the config key and its variable (a value out of range).
 */
export function loadConfig(env: Env = process.env): { config: ControlServiceConfig; errors: string[] } {
  const r = new EnvReader(env);
  const dataDir = r.str('PHOENIX_DATA_DIR') ?? './data';
  const logLevel = r.oneOf('PHOENIX_LOG_LEVEL', LOG_LEVELS, 'info');
  const api = readRestApiConfig(r, API_ENV, defaultApiConfig);
  const observerInterval = r.seconds('PHOENIX_OBSERVER_INTERVAL_SECONDS', defaultObserverConfig.intervalSeconds);
  const staleAfter = r.seconds('PHOENIX_OBSERVER_STALE_AFTER_SECONDS', Math.max(3 * observerInterval, 1));
  const controlInterval = r.seconds('PHOENIX_CONTROL_INTERVAL_SECONDS', defaultControllerConfig.intervalSeconds);
  const pid = defaultActuatorConfig.pid;
  const topk = defaultActuatorConfig.topk;
  const config: ControlServiceConfig = {
    dataDir,
    logLevel,
    observer: {
      coreUrl: r.str('PHOENIX_CORE_URL') ?? defaultObserverConfig.coreUrl,
      prometheusUrl: r.str('PROMETHEUS_URL'),
      prometheusSelector: r.str('PHOENIX_PROMETHEUS_SELECTOR') ?? '',
      intervalSeconds: observerInterval,
      timeoutSeconds: r.seconds('PHOENIX_OBSERVER_TIMEOUT_SECONDS', Math.min(defaultObserverConfig.timeoutSeconds, Math.max(observerInterval, 0.5))),
      staleAfterSeconds: staleAfter,
      port: r.int('PHOENIX_OBSERVER_PORT', defaultObserverConfig.port),
      bindAddress: api.bindAddress,
    },
    controller: { intervalSeconds: controlInterval },
    actuator: {
      targetSeries: r.int('PHOENIX_TARGET_SERIES', defaultActuatorConfig.targetSeries),
      headroom: r.num('PHOENIX_CONTROL_HEADROOM', defaultActuatorConfig.headroom),
      hysteresis: r.num('PHOENIX_CONTROL_HYSTERESIS', defaultActuatorConfig.hysteresis),
      dwellSeconds: r.seconds('PHOENIX_CONTROL_DWELL_SECONDS', defaultActuatorConfig.dwellSeconds),
      intervalSeconds: controlInterval,
      maxKpiAgeSeconds: r.seconds('PHOENIX_CONTROL_MAX_KPI_AGE_SECONDS', staleAfter),
      stabilityWindowSeconds: r.seconds('PHOENIX_CONTROL_STABILITY_WINDOW_SECONDS', defaultActuatorConfig.stabilityWindowSeconds),
      pid: {
        kp: r.num('PHOENIX_PID_KP', pid.kp),
        ki: r.num('PHOENIX_PID_KI', pid.ki),
        kd: r.num('PHOENIX_PID_KD', pid.kd),
        integralMin: r.num('PHOENIX_PID_INTEGRAL_MIN', pid.integralMin),
        integralMax: r.num('PHOENIX_PID_INTEGRAL_MAX', pid.integralMax),
        outputMin: r.num('PHOENIX_PID_OUTPUT_MIN', pid.outputMin),
        outputMax: r.num('PHOENIX_PID_OUTPUT_MAX', pid.outputMax),
      },
      topk: {
        minK: r.int('PHOENIX_TOPK_MIN_K', topk.minK),
        maxK: r.int('PHOENIX_TOPK_MAX_K', topk.maxK),
        initialK: r.int('PHOENIX_TOPK_INITIAL_K', topk.initialK),
        deadband: r.num('PHOENIX_TOPK_K_DEADBAND', topk.deadband),
      },
    },
    controlFile: { path: r.str('PHOENIX_CONTROL_FILE') ?? path.join(dataDir, 'optimization_mode.yaml') },
    history: {
      path: r.str('PHOENIX_CONTROL_HISTORY_DB') ?? path.join(dataDir, 'control_history.sqlite'),
      maxRows: r.int('PHOENIX_CONTROL_HISTORY_MAX_ROWS', defaultHistoryConfig.maxRows),
    },
    api: {
      ...api,
      historyDefaultLimit: r.int('PHOENIX_CONTROL_HISTORY_DEFAULT_LIMIT', defaultApiConfig.historyDefaultLimit),
      historyMaxLimit: r.int('PHOENIX_CONTROL_HISTORY_MAX_LIMIT', defaultApiConfig.historyMaxLimit),
    },
  };
  if (r.errors.length > 0) return { config, errors: r.errors };
  return { config, errors: validateConfig(config) };
}

/** Validates every section; each message starts with the config key, followed by its environment variable. */
export function validateConfig(c: ControlServiceConfig): string[] {
  const messages = [
    ...validateObserverConfig(c.observer),
    ...validateControllerConfig(c.controller),
    ...validateActuatorConfig(c.actuator),
    ...validateControlFileWriterConfig(c.controlFile),
    ...validateHistoryConfig(c.history),
    ...validateApiConfig(c.api),
  ];
  if (c.observer.port !== 0 && c.observer.port === c.api.port) messages.push(`observer.port: must differ from api.port (${c.api.port})`);
  return withEnvNames(messages, ENV);
}
