export * from './clock';
export * from './log';
export * from './configUtil';
export * from './apiGuards';
export * from './restApiConfig';
export * from './runService';
export * from './apiServer';
export * from './exposition';
