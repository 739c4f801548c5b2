import { describeRunPipeline } from "./run-pipeline";

describeRunPipeline("openai");
