/// <reference types="node" preserve="true" />
/**
 * @packageDocumentation
 * The `hybrid-broker` command for operators. `runCli(argv, io)` runs it
 * in-process and returns the exit code; `buildProgram(io)` gives the
 * commander tree (for help texts and embedding).
 */
export type { CliIo, CliStream } from './cli-io.js';
export { DRIVER_PACKAGES, requireDriverPackages } from './driver-packages.js';
export {
  definitionsIn,
  isDriverDefinition,
  type LoadedDrivers,
  loadDrivers,
  type ModuleImporter,
  WORKSPACE_DRIVER_PACKAGES,
} from './drivers.js';
export { type ErrorReportOptions, formatError } from './error-report.js';
export {
  EXIT_CODES,
  exitCodeFor,
  exitCodesHelp,
  UNEXPECTED_EXIT_CODE,
  USAGE_EXIT_CODE,
} from './exit-codes.js';
export { memoryDriverWithStateFile } from './memory-state-file.js';
export { buildProgram, HELP_WIDTH } from './program.js';
export { runCli } from './run-cli.js';
export { DEFAULT_CONFIG_FILE, type GlobalOptions } from './session.js';
