/** Types of cli/interleave.mjs for the TypeScript tests that drive it. */

/**
 * Runs `interleave` with `argv` (without node and the script) in `cwd`; resolves to the exit code 0, 1 or 2.
 * `stdoutClosed`: the process started with stdout closed (stdoutWasClosed), so printing is exit 2.
 */
export function main(argv: string[], cwd?: string, io?: { stdoutClosed?: boolean }): Promise<number>;

/** Whether this process started with stdout closed (`>&-`: Node put /dev/null, read-write, in its place); Linux only. */
export function stdoutWasClosed(): boolean;

/**
 * Every file under `paths`, read, as project path → its absolute path and bytes: relative to `cwd` inside it,
 * to the given folder outside it; symlinks inside folders are skipped. Throws once the files pass `limits`
 * (the server's: bytes of text, text files; default 20 MiB, 2,000), when a file can't be read, or when two
 * files would share a path.
 */
export function collectFiles(
  paths: string[],
  cwd: string,
  limits?: { maxBytes: number; maxFiles: number },
): Map<string, { absolute: string; bytes: Uint8Array }>;
