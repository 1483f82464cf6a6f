/** The example ML project (`flywheel init`) and running its pipeline with live progress (`flywheel ml run`). */
export { InvalidPipelineConfig, loadPipelineConfig, type PipelineConfig, parsePipelineConfig } from './config.js';
export { initProject, PROJECT_FILES, ProjectExists } from './project.js';
export { PIPELINE_STATE_MACHINE, type PipelineResult, type RunPipelineOptions, runPipeline } from './run.js';
