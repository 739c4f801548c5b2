-- AlterTable
ALTER TABLE "Run" ADD COLUMN     "apiTokenId" TEXT;

-- AlterTable
ALTER TABLE "Step" ADD COLUMN     "apiTokenId" TEXT;

-- AddForeignKey
ALTER TABLE "Step" ADD CONSTRAINT "Step_apiTokenId_fkey" FOREIGN KEY ("apiTokenId") REFERENCES "ApiToken"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Run" ADD CONSTRAINT "Run_apiTokenId_fkey" FOREIGN KEY ("apiTokenId") REFERENCES "ApiToken"("id") ON DELETE SET NULL ON UPDATE CASCADE;
