-- AlterTable
ALTER TABLE "Run" ADD COLUMN     "resumesRunId" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "Run_resumesRunId_key" ON "Run"("resumesRunId");

-- AddForeignKey
ALTER TABLE "Run" ADD CONSTRAINT "Run_resumesRunId_fkey" FOREIGN KEY ("resumesRunId") REFERENCES "Run"("id") ON DELETE SET NULL ON UPDATE CASCADE;
