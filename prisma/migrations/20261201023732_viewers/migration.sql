-- CreateTable
CREATE TABLE "Viewer" (
    "viewerId" TEXT NOT NULL,
    "sessionId" TEXT NOT NULL,
    "userId" TEXT,
    "shareLinkId" TEXT,
    "name" TEXT NOT NULL,
    "stepId" TEXT,
    "streamId" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Viewer_pkey" PRIMARY KEY ("sessionId","viewerId")
);

-- CreateIndex
CREATE INDEX "Viewer_expiresAt_idx" ON "Viewer"("expiresAt");

-- AddForeignKey
ALTER TABLE "Viewer" ADD CONSTRAINT "Viewer_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "Session"("id") ON DELETE CASCADE ON UPDATE CASCADE;
