import { describe, expect, test } from "vitest";
import { clientAddress } from "./client-address";

const from = (forwardedFor?: string) =>
  clientAddress(new Headers(forwardedFor === undefined ? {} : { "x-forwarded-for": forwardedFor }));

describe("clientAddress", () => {
  test("the last X-Forwarded-For entry: the hop nearest the server", () => {
    expect(from("203.0.113.7")).toBe("203.0.113.7");
    expect(from("10.0.0.1, 198.51.100.2")).toBe("198.51.100.2");
    expect(from(" 198.51.100.2 ")).toBe("198.51.100.2");
  });

  test("IPv6 counts by its /64 network; an IPv4-mapped one as the IPv4 address", () => {
    expect(from("2001:db8:1:2:3:4:5:6")).toBe("2001:db8:1:2::/64");
    expect(from("2001:db8:1:2::99")).toBe("2001:db8:1:2::/64");
    expect(from("2001:0db8:0001:0002:ffff::1")).toBe("2001:db8:1:2::/64");
    expect(from("2001:db8::1")).toBe("2001:db8:0:0::/64");
    expect(from("::1")).toBe("0:0:0:0::/64");
    expect(from("[2001:db8:1:2::5]")).toBe("2001:db8:1:2::/64");
    expect(from("::ffff:192.0.2.1")).toBe("192.0.2.1");
  });

  test("no header, or no address in its last entry: null", () => {
    expect(from()).toBeNull();
    expect(from("")).toBeNull();
    expect(from("unknown")).toBeNull();
    expect(from("198.51.100.2, not-an-ip")).toBeNull();
    expect(from("999.1.1.1")).toBeNull();
  });
});
