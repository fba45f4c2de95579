export * from './generated';
export * from './createValidator';
export * from './validators';
