// The cluster machinery is pgshift's own (the demo starts clusters too); tests use it from there.
export * from '../../packages/core/src/cluster/process-cleanup.js'
