import { isIPv4, isIPv6 } from "node:net";

/**
 * Who is asking, as far as per-address limits go (lib/auth/guest-limit.ts). Pure, unit-tested.
 *
 * A route handler sees no socket: Next.js puts the peer's address in `X-Forwarded-For`
 * when the request has none, and a reverse proxy appends the address it saw. So the
 * address is the header's last entry, the hop nearest this server. Behind a proxy that is
 * the client; served directly, a client that sends its own header picks its address, so
 * a public instance belongs behind a proxy that sets the header (README "Accounts and teams").
 */

/** The first 64 bits of an IPv6 address, as 4 hex groups: one home or one server's network, which a client can't hop within. */
function ipv6Prefix(address: string): string {
  const [head = "", tail] = address.toLowerCase().split("::");
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  // An embedded IPv4 tail (::ffff:1.2.3.4) is two groups.
  const last = right.at(-1) ?? left.at(-1) ?? "";
  const groups = isIPv4(last) ? 7 : 8;
  const missing = tail === undefined ? 0 : groups - left.length - right.length;
  const full = [...left, ...Array<string>(missing).fill("0"), ...right];
  return `${full
    .slice(0, 4)
    .map((group) => group.replace(/^0+(?=.)/, ""))
    .join(":")}::/64`;
}

/**
 * The client address a request counts as: the last entry of `X-Forwarded-For` that is an
 * IP address — IPv4 as is (also when mapped into IPv6, `::ffff:1.2.3.4`), IPv6 as its /64
 * network (`2001:db8:1:2::/64`) — or null when there is none.
 */
export function clientAddress(headers: Headers): string | null {
  const last = headers.get("x-forwarded-for")?.split(",").at(-1)?.trim() ?? "";
  const bare = last.replace(/^\[(.*)\]$/, "$1");
  if (isIPv4(bare)) return bare;
  if (!isIPv6(bare)) return null;
  const mapped = bare.match(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i)?.[1];
  return mapped && isIPv4(mapped) ? mapped : ipv6Prefix(bare);
}
