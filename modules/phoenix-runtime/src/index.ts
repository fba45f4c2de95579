export * from './clock';
export * from './log';
export * from './configUtil';
export * from './apiGuards';
