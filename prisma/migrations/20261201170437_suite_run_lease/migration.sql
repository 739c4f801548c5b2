-- AlterTable
ALTER TABLE "SuiteRun" ADD COLUMN     "errorMessage" TEXT,
ADD COLUMN     "leaseExpiresAt" TIMESTAMP(3),
ADD COLUMN     "ownerId" TEXT,
ADD COLUMN     "resumeCount" INTEGER NOT NULL DEFAULT 0;

-- CreateIndex
CREATE INDEX "SuiteRun_status_idx" ON "SuiteRun"("status");
