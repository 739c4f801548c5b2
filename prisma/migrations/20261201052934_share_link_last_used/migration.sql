-- AlterTable
ALTER TABLE "ShareLink" ADD COLUMN     "lastUsedAt" TIMESTAMP(3);
