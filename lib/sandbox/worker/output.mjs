/**
 * A sandbox worker's stdout/stderr: counted against the output cap as they come, sent to
 * the pool in chunks (so a run that is killed still leaves what it printed), and the run
 * stopped (`onLimit`) once the cap is reached.
 */

const FLUSH_BYTES = 16 * 1024;
const encoder = new TextEncoder();

export class OutputSink {
  /**
   * @param {(message: object) => void} post
   * @param {() => void} onLimit called once, when the cap is reached
   */
  constructor(post, onLimit) {
    this.post = post;
    this.onLimit = onLimit;
    this.capBytes = Number.POSITIVE_INFINITY;
    this.bytes = 0;
    this.full = false;
    this.pending = { stdout: "", stderr: "" };
    this.pendingBytes = 0;
  }

  /** @param {"stdout" | "stderr"} stream @param {string} text */
  write(stream, text) {
    if (this.full || text === "") return;
    const bytes = encoder.encode(text);
    if (this.bytes + bytes.length > this.capBytes) {
      const room = Math.max(0, this.capBytes - this.bytes);
      const { read } = encoder.encodeInto(text, new Uint8Array(room));
      this.pending[stream] += text.slice(0, read);
      this.full = true;
      this.flush();
      this.post({ type: "limit", kind: "output_limit", stream, message: "output limit reached" });
      this.onLimit();
      return;
    }
    this.bytes += bytes.length;
    this.pending[stream] += text;
    this.pendingBytes += bytes.length;
    if (this.pendingBytes >= FLUSH_BYTES) this.flush();
  }

  flush() {
    for (const stream of /** @type {const} */ (["stdout", "stderr"])) {
      if (this.pending[stream]) this.post({ type: "output", stream, text: this.pending[stream] });
      this.pending[stream] = "";
    }
    this.pendingBytes = 0;
  }
}
