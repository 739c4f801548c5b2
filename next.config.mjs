/** @type {import('next').NextConfig} */
const nextConfig = {
  // PGlite ships its Postgres as WASM + data files it loads from its own folder at run
  // time; pg has optional native bindings. Both are required from node_modules as they are.
  serverExternalPackages: ["@electric-sql/pglite", "pglite-prisma-adapter", "pg", "@prisma/adapter-pg"],
  poweredByHeader: false,
  reactStrictMode: true,
};

export default nextConfig;
