// How the docs tests type-check an example: as a user's program would be, under strict flags.
import ts from 'typescript';

/** Strict, with exactOptionalPropertyTypes, resolving the workspace packages to their sources. */
export const userProgramOptions: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  strict: true,
  exactOptionalPropertyTypes: true,
  noEmit: true,
  skipLibCheck: true,
  types: ['node'],
  customConditions: ['@hybrid-broker/source'],
};
