import "server-only";
import type { StepNode } from "@/lib/steps/types";
import type { LiveStep, OpenStep, StepWriter } from "./step-writer";
import type { StepSink } from "./turn-recorder";

/**
 * A run's steps, and the one owner of its newest step. Each step the run opens (a turn's
 * thinking, text and tool calls, a tool's result) hangs below the newest one, so the
 * newest step is the branch's end, even when the run fails halfway through a turn; the
 * turn recorder and the tool runner only say what to open.
 */
export class RunSteps implements StepSink {
  private readonly live = new Map<string, LiveStep>();
  private newestId: string;

  constructor(
    private readonly writer: StepWriter,
    /** the step the run continues from */
    readonly fromStepId: string,
  ) {
    this.newestId = fromStepId;
  }

  /** The branch's end: the run's newest step, or the step it started from. */
  get newest(): string {
    return this.newestId;
  }

  /** Opens a step below the newest one; it becomes the newest. */
  open(fields: Omit<OpenStep, "parentId">): LiveStep {
    const step = this.writer.open({ ...fields, parentId: this.newestId });
    this.live.set(step.id, step);
    this.newestId = step.id;
    return step;
  }

  /**
   * Takes a finished step from before this run (a tool call the run paused at, continued
   * after a reviewer's decision) as the run's own, so later facts about it (the file it
   * changed) are written like those of the run's steps. The branch's end does not move.
   */
  adopt(node: StepNode): LiveStep {
    const step = this.writer.adopt(node);
    this.live.set(step.id, step);
    return step;
  }

  /** The run's step with this id, if the run opened it. */
  get(stepId: string): LiveStep | undefined {
    return this.live.get(stepId);
  }

  /** Ends every step still streaming as interrupted (the run stops). */
  interruptOpen(): void {
    for (const step of this.live.values()) if (step.isOpen) step.finish({ status: "interrupted" });
  }

  /**
   * After steps could not be saved: the branch's end is the newest step the database
   * has, found by walking up from the newest past `missing` (steps without a row).
   */
  backOffTo(missing: ReadonlyMap<string, StepNode>): string {
    let end = this.newestId;
    for (let step = missing.get(end); step; step = missing.get(end)) end = step.parentId ?? this.fromStepId;
    this.newestId = end;
    return end;
  }
}
