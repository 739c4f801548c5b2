import { mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import ts from "typescript";
import { describe, expect, test } from "vitest";

/**
 * Scope in the signature (issue 13 item 1). Every function lib/db exports (and every
 * method of a class it exports) that is addressed by an id — a parameter, or a field of an
 * object parameter (written out or a named type such as `RunView`), named `id`, `ids`, or
 * ending in `Id`/`Ids` — also takes the caller's
 * workspace (`workspaceId`, or the `caller` itself) and filters its query by it, so a
 * session, step, run or file of another workspace is never read or written by id alone.
 * Read from the TypeScript signatures: a new data function taking a bare session id fails
 * here until it takes the scope, or a reviewer adds it to ALLOWED with the reason.
 */

const DB_DIR = path.join(process.cwd(), "lib/db");

/** A name that addresses a row: `id`, `ids`, `sessionId`, `runIds`, … */
const ID_NAME = /^(id|ids)$|[a-z](Id|Ids)$/;
/** The names that carry the caller's scope. */
const SCOPE_NAMES = new Set(["workspaceId", "caller"]);

/**
 * Internal functions addressed by id alone, and why that is safe. Each one is reached only
 * after a workspace-scoped check, or is the run loop's own hot path on rows it created.
 */
const ALLOWED: Record<string, string> = {
  "runs.ts recordRunProgress":
    "the run loop's per-turn write of the run it started (after readRunStart's scoped check)",
  "runs.ts recordRunEnd": "the run loop's last write of the run it started",
  "runs.ts renewLeases": "the heartbeat of the runs this process executes",
  "runs.ts releaseRun": "a stopping server hands back a run it executes (its own lease)",
  "runs.ts claimQueuedRun":
    "an instance claims a run from the queue; the job names a run that startRun wrote after its scoped check",
  "runs.ts unclaimRun": "a stopping server gives back a run it has just claimed (its own lease), unstarted",
  "runs.ts readRunStatus": "waitForRun polls a run a scoped caller started (the suite runner, the tests)",
  "runs.ts finishOrphanedRuns":
    "runs whose server stopped, found by lease; at start-up for all, else for a session the caller reached scoped",
  "runs.ts finishOrphanedRunsOn": "finishOrphanedRuns on the start-up connection",
  "runs.ts readResumeTarget":
    "the heartbeat reads the workspace of a session whose orphaned run it just finished, to resume it there",
  "runs.ts recordActiveLeaf": "the run loop moves the branch on screen of the session it runs in",
  "runs.ts settleUnsavedSteps": "the run loop marks its own steps that could not be written",
  "presence.ts toViewer": "pure: maps a viewer row it is given, no query",
  "runs.ts insertRun": "startRun's insert of the run whose session readRunStart just found in the caller's workspace",
  "runs.ts startingRun": "pure: the view of a run about to be inserted, no query",
  "step-rows.ts toStepRow": "pure: a step as its row's columns, no query",
  "step-rows.ts StepRowQueue.put": "the run loop's hot path: queues the latest state of a step its own run opened",
  "suite-runs.ts renewSuiteRunLeases": "the heartbeat of the suite runs this process executes",
  "suite-runs.ts releaseSuiteRun": "a stopping server hands back a suite run it executes (its own lease)",
  "suite-runs.ts takeOverSuiteRuns":
    "the heartbeat takes over any workspace's suite runs whose server died, as finishOrphanedRuns does runs",
  "presence.ts renewViewers":
    "the heartbeat of the event streams this process holds open (opened after a scoped check)",
  "starting-files.ts saveStartingFiles":
    "inside createSession's and importSession's transaction, for the session just made in the caller's workspace",
  "step-rows.ts StepRowQueue.pendingOf":
    "the write-behind queue's own states; only lib/db/steps.ts reads them, with a workspace-scoped query",
  "step-rows.ts StepRowQueue.isQueued": "the write-behind queue's own bookkeeping",
  "step-rows.ts StepRowQueue.holds":
    "answers only yes or no from memory; lib/db/presence.ts asks it, then updates with a workspace-scoped query",
};

/** `file name` (or `file Class.method`) of each exported function addressed by id without the caller's scope. */
function scopeViolations(files: readonly string[], options: ts.CompilerOptions): string[] {
  const program = ts.createProgram(files, options);
  const checker = program.getTypeChecker();
  const found: string[] = [];
  const check = (where: string, declaration: ts.SignatureDeclaration) => {
    const names = new Set<string>();
    for (const parameter of declaration.parameters) {
      if (ts.isIdentifier(parameter.name)) names.add(parameter.name.text);
      if (ts.isObjectBindingPattern(parameter.name)) {
        // The fields it takes apart (a record mapped whole, `...rest`, is no address).
        for (const element of parameter.name.elements) {
          const key = element.propertyName ?? element.name;
          if (!element.dotDotDotToken && ts.isIdentifier(key)) names.add(key.text);
        }
      }
      // An object, written out in the signature or named (a `RunView`, a `StepNode`): every field it
      // declares, so an id carried inside a record is an address too.
      if (parameter.type && !(ts.isIdentifier(parameter.name) && SCOPE_NAMES.has(parameter.name.text))) {
        const type = checker.getNonNullableType(checker.getTypeAtLocation(parameter));
        if (type.flags & ts.TypeFlags.Object && !checker.isArrayType(type)) {
          for (const property of checker.getPropertiesOfType(type)) names.add(property.name);
        }
      }
    }
    const ids = [...names].filter((name) => ID_NAME.test(name) && !SCOPE_NAMES.has(name));
    if (ids.length > 0 && ![...names].some((name) => SCOPE_NAMES.has(name))) found.push(where);
  };
  for (const file of files) {
    const source = program.getSourceFile(file);
    const module = source && checker.getSymbolAtLocation(source);
    if (!module) throw new Error(`${file} is not a module`);
    const base = path.basename(file);
    for (const exported of checker.getExportsOfModule(module)) {
      const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      for (const declaration of symbol.declarations ?? []) {
        if (ts.isFunctionDeclaration(declaration)) check(`${base} ${symbol.name}`, declaration);
        if (ts.isVariableDeclaration(declaration) && declaration.initializer) {
          const value = declaration.initializer;
          if (ts.isArrowFunction(value) || ts.isFunctionExpression(value)) check(`${base} ${symbol.name}`, value);
        }
        if (ts.isClassDeclaration(declaration)) {
          for (const member of declaration.members) {
            const hidden =
              ts.getCombinedModifierFlags(member).valueOf() & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected);
            if (!ts.isMethodDeclaration(member) || hidden || !ts.isIdentifier(member.name)) continue;
            check(`${base} ${symbol.name}.${member.name.text}`, member);
          }
        }
      }
    }
  }
  return found.sort();
}

function projectOptions(): ts.CompilerOptions {
  const configPath = path.join(process.cwd(), "tsconfig.json");
  const { config } = ts.readConfigFile(configPath, ts.sys.readFile);
  return ts.parseJsonConfigFileContent(config, ts.sys, process.cwd()).options;
}

describe("lib/db's exports", () => {
  test("every function addressed by an id takes the caller's scope, or is allowed with a reason", () => {
    const files = readdirSync(DB_DIR)
      .filter((file) => file.endsWith(".ts") && !file.endsWith(".test.ts"))
      .map((file) => path.join(DB_DIR, file));
    const violations = scopeViolations(files, projectOptions());
    expect(violations.filter((where) => !(where in ALLOWED))).toEqual([]);
    // An entry whose function now takes the scope (or is gone) leaves the list.
    expect(Object.keys(ALLOWED).filter((where) => !violations.includes(where))).toEqual([]);
  }, 120_000);

  test("the check catches a bare id however it is passed", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "scope-check-"));
    const file = path.join(dir, "sample.ts");
    writeFileSync(
      file,
      `export async function listSteps({ sessionId }: { sessionId: string }) { return sessionId; }
       export async function getStep(sessionId: string, stepId: string) { return [sessionId, stepId]; }
       export const removeRuns = async (args: { runIds: string[] }) => args.runIds;
       export class Store { load(id: string) { return id; } private own(id: string) { return id; } }
       export async function scopedSteps({ sessionId, workspaceId }: { sessionId: string; workspaceId: string }) {
         return [sessionId, workspaceId];
       }
       export async function callerSteps(caller: { workspaceId: string }, sessionId: string) { return [caller, sessionId]; }
       export function summary(row: { title: string }) { return row.title; }
       interface Ref { sessionId: string }
       export async function byRef({ sessionId }: Ref) { return sessionId; }
       export async function insertRef(row: Ref) { return row.sessionId; }
       interface Scoped { sessionId: string; workspaceId: string }
       export async function scopedRef(row: Scoped | null) { return row?.sessionId; }
       export function view({ secret: _secret, ...rest }: { id: string; secret: string }) { return rest; }`,
    );
    // Names are all the check reads: no standard library to load.
    expect(scopeViolations([file], { strict: true, noEmit: true, noLib: true, types: [] })).toEqual([
      "sample.ts Store.load",
      "sample.ts byRef",
      "sample.ts getStep",
      "sample.ts insertRef",
      "sample.ts listSteps",
      "sample.ts removeRuns",
      "sample.ts view",
    ]);
  });
});
