/**
 * The assertion library the QuickJS sandbox loads: vitest's own `expect` (chai with
 * @vitest/expect's jest-compatible matchers and asymmetric matchers) and @vitest/spy's mock
 * functions, assembled the way vitest assembles them (vitest/dist, `createExpect`), minus
 * what needs a vitest worker (snapshots, expect.poll), plus vitest's console formatting and
 * its error processing (the expected/received diff). Bundled into one script by
 * scripts/sandbox/bundle-expect.ts; the script puts the result on `globalThis.__expectKit`.
 */
import "./polyfills";
import {
  ASYMMETRIC_MATCHERS_OBJECT,
  ChaiStyleAssertions,
  chai,
  customMatchers,
  getState,
  JestAsymmetricMatchers,
  JestChaiExpect,
  JestExtend,
  setState,
} from "@vitest/expect";
import { clearAllMocks, fn, isMockFunction, resetAllMocks, restoreAllMocks, spyOn } from "@vitest/spy";
import { format } from "@vitest/utils/display";
import { processError } from "@vitest/utils/error";

chai.use(JestExtend);
chai.use(JestChaiExpect);
chai.use(ChaiStyleAssertions);
chai.use(JestAsymmetricMatchers);

type Expect = ((value: unknown, message?: string) => Chai.Assertion) & Record<string, unknown>;

function createExpect(): Expect {
  const expect = ((value: unknown, message?: string) => {
    const { assertionCalls } = getState(expect as never);
    setState({ assertionCalls: assertionCalls + 1 }, expect as never);
    return chai.expect(value, message);
  }) as Expect;
  Object.assign(expect, chai.expect);
  Object.assign(expect, (globalThis as Record<symbol, unknown>)[ASYMMETRIC_MATCHERS_OBJECT]);
  expect.getState = () => getState(expect as never);
  expect.setState = (state: object) => setState(state as never, expect as never);
  setState(
    {
      assertionCalls: 0,
      isExpectingAssertions: false,
      isExpectingAssertionsError: null,
      expectedAssertionsNumber: null,
      expectedAssertionsNumberErrorGen: null,
      currentTestName: "",
    } as never,
    expect as never,
  );
  expect.assert = chai.assert;
  expect.extend = (matchers: object) =>
    (chai.expect as unknown as { extend: (target: Expect, matchers: object) => void }).extend(expect, matchers);
  expect.soft = (value: unknown, message?: string) => expect(value, message);
  expect.unreachable = (message?: string) => {
    chai.assert.fail(`expected${message ? ` "${message}" ` : " "}not to be reached`);
  };
  expect.assertions = (expected: number) => {
    setState(
      {
        expectedAssertionsNumber: expected,
        expectedAssertionsNumberErrorGen: () =>
          new Error(
            `expected number of assertions to be ${expected}, but got ${getState(expect as never).assertionCalls}`,
          ),
      } as never,
      expect as never,
    );
  };
  expect.hasAssertions = () => {
    setState(
      {
        isExpectingAssertions: true,
        isExpectingAssertionsError: new Error("expected any number of assertion, but got none"),
      } as never,
      expect as never,
    );
  };
  (expect.extend as (matchers: object) => void)(customMatchers);
  return expect;
}

(globalThis as Record<string, unknown>).__expectKit = {
  createExpect,
  getState,
  setState,
  assert: chai.assert,
  fn,
  spyOn,
  isMockFunction,
  clearAllMocks,
  resetAllMocks,
  restoreAllMocks,
  /** console.log's formatting (printf-style %s/%d/%o, objects inspected) */
  format,
  /** adds `diff` (expected vs received, line by line) to an assertion error, as vitest reports it */
  processError,
};
