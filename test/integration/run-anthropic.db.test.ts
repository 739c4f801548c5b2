import { describeRunPipeline } from "./run-pipeline";

describeRunPipeline("anthropic");
