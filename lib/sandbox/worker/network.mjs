/**
 * No network from a sandbox worker, below the interpreters: every TCP/TLS connection and
 * DNS lookup in this thread's copy of node:net, node:tls and node:dns throws, and fetch is
 * replaced. Pyodide reaches the network through node:net (its Node socket support and the
 * `ws` package behind Emscripten's SOCKFS), and loads packages through fetch; node:http(s)
 * go through node:net too. Node modules are per thread, so the app's own network is untouched.
 * Attempts are counted, which is how the tests prove that loading and running fetched nothing.
 */
import dns from "node:dns";
import net from "node:net";
import tls from "node:tls";

export function blockNetwork() {
  let attempts = 0;
  const refuse = (what) =>
    function refused() {
      attempts++;
      throw new Error(`${what}: the sandbox has no network`);
    };
  net.Socket.prototype.connect = refuse("net.Socket.connect");
  net.connect = refuse("net.connect");
  net.createConnection = refuse("net.createConnection");
  tls.connect = refuse("tls.connect");
  dns.lookup = refuse("dns.lookup");
  dns.resolve = refuse("dns.resolve");
  dns.promises.lookup = refuse("dns.promises.lookup");
  globalThis.fetch = refuse("fetch");
  return { attempts: () => attempts };
}
