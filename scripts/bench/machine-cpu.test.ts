import { expect, test } from "vitest";
import { coresBetween, machineSeconds, statCommand, statCpuSeconds, statProcessGroup } from "./machine-cpu";

const LINE = "4242 (next-server (v1)) S 4200 4242 4242 0 -1 4194560 1 0 0 0 250 50 0 0 20 0 11 0 9 0 0";

test("a stat line's command may hold spaces and parentheses; the fields after it are read by position", () => {
  expect(statCommand(LINE)).toBe("next-server (v1)");
  expect(statProcessGroup(LINE)).toBe(4242);
  expect(statCpuSeconds(LINE)).toBe(3); // (250 + 50) ticks at 100 per second
});

test("machine busy time is everything but idle and iowait", () => {
  const stat = "cpu  100 20 30 400 50 5 5 10 0 0\ncpu0 1 2 3 4 5 6 7 8 0 0\n";
  expect(machineSeconds(stat)).toEqual({ busy: 1.7, total: 6.2 });
});

test("cores per group between two readings, the rest of the machine's busy time as other", () => {
  const before = { groups: new Map([["app", 10]]), busy: 100, total: 400 };
  const after = {
    groups: new Map([
      ["app", 14],
      ["redis", 1],
    ]),
    busy: 107,
    total: 410,
  };
  const cores = coresBetween(before, after, 5);
  expect(cores.get("app")).toBeCloseTo(0.8);
  expect(cores.get("redis")).toBeCloseTo(0.2);
  expect(cores.get("other")).toBeCloseTo(0.4);
  expect(cores.get("machine")).toBeCloseTo(1.4);
});
