/**
 * Bytes of a server-sent event stream → the payload of each `data:` line, in order.
 * Every MiniMax event is one JSON line, so each line is handed on as soon as it is
 * complete; `event:` lines are redundant (the JSON carries its type) and skipped.
 */
export class SseDataDecoder {
  private readonly decoder = new TextDecoder();
  private buffer = "";

  push(bytes: Uint8Array, onData: (data: string) => void): void {
    this.buffer += this.decoder.decode(bytes, { stream: true });
    let start = 0;
    let newline = this.buffer.indexOf("\n", start);
    while (newline >= 0) {
      dispatchLine(this.buffer.slice(start, newline), onData);
      start = newline + 1;
      newline = this.buffer.indexOf("\n", start);
    }
    this.buffer = this.buffer.slice(start);
  }

  /** The body ended: a last line without its newline still counts. */
  end(onData: (data: string) => void): void {
    const rest = this.buffer + this.decoder.decode();
    this.buffer = "";
    if (rest) dispatchLine(rest, onData);
  }
}

function dispatchLine(rawLine: string, onData: (data: string) => void): void {
  const line = rawLine.endsWith("\r") ? rawLine.slice(0, -1) : rawLine;
  if (line.startsWith("data:")) onData(line.charCodeAt(5) === 32 ? line.slice(6) : line.slice(5));
  // a legacy error envelope can arrive as a bare JSON line
  else if (line.startsWith("{")) onData(line);
}
