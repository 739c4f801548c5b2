/** Types of cli/interleave.mjs for the TypeScript tests that drive it. */

/** Runs `interleave` with `argv` (without node and the script) in `cwd`; resolves to the exit code 0, 1 or 2. */
export function main(argv: string[], cwd?: string): Promise<number>;

/** Every file under `paths` as project path → absolute path, relative to `cwd`; symlinks inside folders are skipped. */
export function collectFiles(paths: string[], cwd: string): Map<string, string>;
