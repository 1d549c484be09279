export { lintSpecFiles } from './lint-specs.js'
export type { LintedFile, LintOptions, LintResult } from './lint-specs.js'
export { renderGithubAnnotations, renderLintJson, renderLintText } from './lint-report.js'
export { findSpecFiles, SpecFilesNotFoundError } from './find-spec-files.js'
