export * from './freePort';
export * from './waitFor';
export * from './parsePrometheusText';
export * from './spawnService';
