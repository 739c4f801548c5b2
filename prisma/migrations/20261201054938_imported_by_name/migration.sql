-- AlterTable
ALTER TABLE "Approval" ADD COLUMN     "importedByName" TEXT;

-- AlterTable
ALTER TABLE "BranchReview" ADD COLUMN     "importedByName" TEXT;

-- AlterTable
ALTER TABLE "Comment" ADD COLUMN     "importedByName" TEXT;
