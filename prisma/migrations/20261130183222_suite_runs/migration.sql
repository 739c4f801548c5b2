-- CreateTable
CREATE TABLE "SuiteRun" (
    "id" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "suiteName" TEXT NOT NULL,
    "modelIds" JSONB NOT NULL,
    "concurrency" INTEGER NOT NULL,
    "status" TEXT NOT NULL,
    "tasks" JSONB NOT NULL,
    "results" JSONB NOT NULL,
    "cancelRequestedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "SuiteRun_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "SuiteRun_workspaceId_createdAt_idx" ON "SuiteRun"("workspaceId", "createdAt" DESC);

-- AddForeignKey
ALTER TABLE "SuiteRun" ADD CONSTRAINT "SuiteRun_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;
