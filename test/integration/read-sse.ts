/**
 * Reads an event-stream response's text until `done(text so far)` says so; a stream that
 * ends first answers its text followed by `<closed>`. The reader is released, not cancelled,
 * so the caller may read on.
 */
export async function readStream(response: Response, done: (text: string) => boolean): Promise<string> {
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let text = "";
  while (!done(text)) {
    const { value, done: ended } = await reader.read();
    if (ended) return `${text}<closed>`;
    text += decoder.decode(value);
  }
  reader.releaseLock();
  return text;
}
