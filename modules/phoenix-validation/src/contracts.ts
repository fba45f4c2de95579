/**
 * Transitional: what src/catalog/* takes from `../contracts`. Everything else imports `@phoenix/contracts`
 * directly; delete this file once the catalog does too.
 */
export { type LoadProfile, type ScenarioCatalog, type ScenarioDefinition, validateLoadProfile, validateScenarioCatalog, phaseMultiplier, profileDuration, profilePointAt } from '@phoenix/contracts';
