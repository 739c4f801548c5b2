import { zipSync } from "fflate";
import { describe, expect, test } from "vitest";
import { zipSymlinkNames } from "./zip-links";

const enc = (text: string) => new TextEncoder().encode(text);
const link = { os: 3, attrs: 0o120777 << 16 };

describe("zipSymlinkNames", () => {
  test("names the entries whose Unix mode is a symbolic link, not files, executables or folders", () => {
    const zip = zipSync({
      "a.ts": enc("x"),
      "run.sh": [enc("#!/bin/sh"), { os: 3, attrs: 0o100755 << 16 }],
      "dir/": [new Uint8Array(0), { os: 3, attrs: (0o40755 << 16) | 0x10 }],
      "dir/latest": [enc("../a.ts"), link],
      "ünïcode-link": [enc("a.ts"), link],
    });
    expect(zipSymlinkNames(zip)).toEqual(new Set(["dir/latest", "ünïcode-link"]));
  });

  test("an archive comment after the directory doesn't hide it", () => {
    const zip = zipSync({ l: [enc("a"), link] });
    const comment = enc("c".repeat(300));
    const commented = new Uint8Array(zip.length + comment.length);
    commented.set(zip);
    commented.set(comment, zip.length);
    new DataView(commented.buffer).setUint16(zip.length - 2, comment.length, true);
    expect(zipSymlinkNames(commented)).toEqual(new Set(["l"]));
  });

  test("no central directory, or a cut one, gives no names and doesn't throw", () => {
    const zip = zipSync({ l: [enc("a"), link], m: [enc("b"), link] });
    expect(zipSymlinkNames(enc("not a zip"))).toEqual(new Set());
    expect(zipSymlinkNames(zip.subarray(0, zip.length - 10))).toEqual(new Set());
    const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
    view.setUint32(zip.length - 6, zip.length, true); // the directory's offset points past the end
    expect(zipSymlinkNames(zip)).toEqual(new Set());
  });
});
