-- AlterTable
ALTER TABLE "Run" ADD COLUMN     "reasoningEstimated" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "Session" ADD COLUMN     "comparisonId" TEXT;

-- AlterTable
ALTER TABLE "Step" ADD COLUMN     "reasoningEstimated" BOOLEAN;

-- CreateIndex
CREATE INDEX "Session_workspaceId_comparisonId_idx" ON "Session"("workspaceId", "comparisonId");
