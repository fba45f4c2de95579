import path from 'node:path';
import type { LoadProfile } from './generated';
import { validateLoadProfile } from './generated/validators';
import { loadYamlFile, parseYamlDocument, YamlDocumentError, type YamlDocumentKind } from './loadYamlFile';

/** The load profile document (`contracts/schemas/load_profile.schema.json`), for {@link loadYamlFile}. */
export const LOAD_PROFILE: YamlDocumentKind<LoadProfile> = { what: 'load profile', validate: validateLoadProfile };

/** Parses and validates one load profile; errors name the source and the offending fields. */
export function parseLoadProfile(text: string, source: string): LoadProfile {
  return parseYamlDocument(text, source, LOAD_PROFILE);
}

/**
 * Reads one load profile file (phoenix-generators plays it, phoenix-validation drives it); its `name`
 * must equal the file name without `.yaml`.
 */
export function loadProfileFile(file: string): LoadProfile {
  const profile = loadYamlFile(file, LOAD_PROFILE);
  const expected = path.basename(file).replace(/\.ya?ml$/, '');
  if (profile.name !== expected) {
    const problem = `name: must equal the file name ${JSON.stringify(expected)} (got ${JSON.stringify(profile.name)})`;
    throw new YamlDocumentError(file, [problem], `${file}: ${problem}`);
  }
  return profile;
}
