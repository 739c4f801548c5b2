-- CreateTable
CREATE TABLE "BranchReview" (
    "id" TEXT NOT NULL,
    "sessionId" TEXT NOT NULL,
    "leafId" TEXT NOT NULL,
    "verdict" TEXT NOT NULL,
    "summary" TEXT NOT NULL DEFAULT '',
    "userId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "BranchReview_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "BranchReview_sessionId_leafId_createdAt_idx" ON "BranchReview"("sessionId", "leafId", "createdAt");

-- AddForeignKey
ALTER TABLE "BranchReview" ADD CONSTRAINT "BranchReview_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "Session"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BranchReview" ADD CONSTRAINT "BranchReview_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;
