-- AlterTable
ALTER TABLE "SuiteRun" ADD COLUMN     "createdById" TEXT;

-- CreateIndex
CREATE INDEX "SuiteRun_createdById_status_idx" ON "SuiteRun"("createdById", "status");

-- AddForeignKey
ALTER TABLE "SuiteRun" ADD CONSTRAINT "SuiteRun_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;
