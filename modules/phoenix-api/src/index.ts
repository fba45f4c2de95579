export { ApiService, type ApiServiceDeps, apiVersion } from './service';
export { type ApiServiceConfig, ENV, loadConfig, validateConfig } from './config';
export { type Database, type Transaction, type Session, type DatabaseHealth, type Backend } from './db/database';
export { openDatabase } from './db/openDatabase';
export { allocate, levelsFromKpi, isSpike, type Allocation, type HostInput, type HostPlan, type Level } from './fleet/allocation';
export { TASKS_CHANNEL } from './queue/taskQueue';
