-- AlterTable
ALTER TABLE "Invitation" ADD COLUMN     "mailError" TEXT;
