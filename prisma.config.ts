import { defineConfig } from "prisma/config";

// prisma.config.ts does not load .env, and the CLI needs a URL even for `generate`,
// so fall back to a placeholder: the app itself never reads this file.
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://localhost:5432/interleave" },
});
