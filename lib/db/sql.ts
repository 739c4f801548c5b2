/**
 * One statement straight to the driver (pg's pool or PGlite), rows back as plain objects.
 * For the run pipeline's hot paths, where Prisma's per-query work (~1 ms of CPU on a small
 * machine) costs more than the query itself; everything else goes through Prisma.
 */
export type RawQuery = <Row = Record<string, unknown>>(sql: string, params: unknown[]) => Promise<Row[]>;
