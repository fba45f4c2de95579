export * from './freePort';
export * from './waitFor';
export * from './parsePrometheusText';
export * from './spawnService';
export * from './otlpProto';
export * from './prometheus';
export { type PushgatewayHandle, requirePushgatewayBinary, startPushgateway } from './pushgateway';
