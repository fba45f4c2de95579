export * from './generated';
export * from './createValidator';
export * from './validators';
export * from './controlValidators';
export * from './generatorsValidators';
export * from './generatorsOpenApi';
export * from './validationValidators';
export * from './validationOpenApi';
