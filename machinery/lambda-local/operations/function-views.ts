/** How the operations show a function: its configuration at a version, and what a name with a qualifier names. */

import { functionConfiguration, type FunctionRecord, type FunctionRegistry } from '../function-registry';
import { LATEST, runnableRecord } from '../function-versions';

/** FunctionConfiguration of `version`, with $LATEST's state (Pending, an update InProgress) as Lambda shows it. */
export function configurationOf(
  registry: FunctionRegistry,
  record: FunctionRecord,
  version: string,
): Record<string, unknown> {
  return version === LATEST
    ? functionConfiguration(record, version, registry.statusOf(record))
    : functionConfiguration(record, version);
}

/** The configuration of `version` with that version's frozen code and settings (a published one's, or $LATEST's). */
export function versionConfigurationOf(
  registry: FunctionRegistry,
  record: FunctionRecord,
  version: string,
): Record<string, unknown> {
  return configurationOf(registry, runnableRecord(record, registry.snapshotOf(record, version)), version);
}

/** What `name[:qualifier]` names: $LATEST, or a published version with its frozen code and settings. */
export function versionOf(
  registry: FunctionRegistry,
  nameWithQualifier: string,
): { record: FunctionRecord; version: string } {
  const { record, qualifier } = registry.resolve(nameWithQualifier);
  const snapshot = registry.snapshotOf(record, qualifier);
  return { record: runnableRecord(record, snapshot), version: snapshot?.Version ?? LATEST };
}
