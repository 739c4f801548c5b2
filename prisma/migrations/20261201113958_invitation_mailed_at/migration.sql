-- AlterTable
ALTER TABLE "Invitation" ADD COLUMN     "mailedAt" TIMESTAMP(3);
