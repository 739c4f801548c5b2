import { expect, test } from "vitest";
import { diffMigrationsToSchema } from "./schema-engine";

test("prisma/schema.prisma and the committed migrations agree (run `npm run db:migrate -- --name …` if not)", async () => {
  expect(await diffMigrationsToSchema()).toBe("");
}, 60_000);
