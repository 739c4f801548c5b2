#!/usr/bin/env node
// The `interleave` command (package.json "bin"): see cli/interleave.mjs and the README's "CLI".
import { main, stdoutWasClosed } from "../cli/interleave.mjs";

process.exitCode = await main(process.argv.slice(2), process.cwd(), { stdoutClosed: stdoutWasClosed() });
