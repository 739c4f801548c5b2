/** @type {import('next').NextConfig} */
const nextConfig = {
  // PGlite ships its Postgres as WASM + data files it loads from its own folder at run
  // time; pg has optional native bindings. Both are required from node_modules as they are,
  // and so is nodemailer (server-only, Node's net/tls; nothing gained by bundling it).
  serverExternalPackages: [
    "@electric-sql/pglite",
    "pglite-prisma-adapter",
    "pg",
    "@prisma/adapter-pg",
    "pg-boss",
    "nodemailer",
  ],
  poweredByHeader: false,
  experimental: {
    // proxy.ts makes Next.js copy each request body, and the route's copy is cut at this
    // size without an error; lib/http/guard.ts refuses larger bodies with a 413 instead.
    // Must equal MAX_REQUEST_BYTES in lib/http/request-rules.ts (a test checks). That copy
    // is patched at install (scripts/next/body-streams-patch.ts): a client hanging up on a
    // refusal made it an uncaught exception.
    proxyClientMaxBodySize: 64 * 1024 * 1024,
  },
  reactStrictMode: true,
};

export default nextConfig;
